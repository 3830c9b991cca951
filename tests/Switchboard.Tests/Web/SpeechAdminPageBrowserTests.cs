using Microsoft.Playwright;
using Switchboard.Core.Security;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Web;

/// <summary>The speech rules and knowledge base page in real Chromium.</summary>
public sealed class SpeechAdminPageBrowserTests
{
    [Fact]
    public async Task ASupervisorSavesRules_TriesThem_SeesProblemsByPath_AndPublishesAnArticle()
    {
        if (!File.Exists(BrowserSession.Chromium))
        {
            Assert.Skip($"{BrowserSession.Chromium} is not installed (scripts/test.sh installs Debian's chromium).");
        }
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var baseUrl = app.CreateClient().BaseAddress!;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await BrowserSession.SignInAsync(page, app, baseUrl, "supervisor-liu", Role.Supervisor);
        await page.GotoAsync(new Uri(baseUrl, "/admin/speech.html").ToString());

        // Before any save the page offers an example; saving it makes version 1.
        await Assertions.Expect(page.GetByTestId("rules-version")).ToHaveTextAsync("尚未保存规则（下方为示例）。");
        await page.GetByTestId("rules-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rules-result")).ToHaveTextAsync("已保存为版本 1。");

        // The dry run says which rules the sample sentence fires, on which words.
        await page.GetByTestId("rules-try").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=rules-fired] li[data-rule=competitor]")).ToContainTextAsync("优品汇");
        await Assertions.Expect(page.Locator("[data-testid=rules-fired] li[data-rule=regulator]")).ToContainTextAsync("律师");

        // A broken rule is refused with its path.
        var document = await page.GetByTestId("rules-document").InputValueAsync();
        await page.GetByTestId("rules-document").FillAsync(document.Replace("\"type\": \"tag\"", "\"type\": \"page-the-ceo\"", StringComparison.Ordinal));
        await page.GetByTestId("rules-save").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=rules-problems] li[data-field='rules[0].actions[1].type']")).ToBeVisibleAsync();

        // A new article is published and listed.
        await page.GetByTestId("article-title").FillAsync("挂失银行卡");
        await page.GetByTestId("article-questions").FillAsync("银行卡丢了怎么办\n卡被偷了");
        await page.GetByTestId("article-answer").FillAsync("请立即冻结卡片并拨打热线挂失。");
        await page.GetByTestId("article-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("article-result")).ToHaveTextAsync("已发布。");
        await Assertions.Expect(page.Locator("[data-testid=articles] tbody tr")).ToContainTextAsync("已发布");
        await page.GetByTestId("article-retire").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=articles] tbody tr")).ToContainTextAsync("已下线");
    }
}
