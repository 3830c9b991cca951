using Microsoft.Playwright;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Web;

/// <summary>The routing configuration page in real Chromium: a bad rule is named by its path; a good document is saved as a new version.</summary>
public sealed class RoutingAdminPageBrowserTests
{
    private const string Chromium = BrowserSession.Chromium;

    [Fact]
    public async Task AnAdministratorSeesEveryProblemByItsPath_ThenSavesANewVersion()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (scripts/test.sh installs Debian's chromium).");
        }
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await BrowserSession.SignInAsync(page, app, client.BaseAddress!, "admin-zhao", Switchboard.Core.Security.Role.Admin);
        await page.GotoAsync(new Uri(client.BaseAddress!, "/admin/routing.html").ToString());
        await Assertions.Expect(page.GetByTestId("version")).ToHaveTextAsync("尚未配置路由。");
        var example = await page.GetByTestId("document").InputValueAsync();
        Assert.Contains("\"bypass\": true", example, StringComparison.Ordinal); // a working example to start from

        // Break two things: the VIP condition and a step's group.
        await page.GetByTestId("document").FillAsync(example.Replace("tier == 'vip'", "tier === 'vip'", StringComparison.Ordinal).Replace("\"group\": \"senior\"", "\"group\": \"seniors\"", StringComparison.Ordinal));
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("result")).ToHaveTextAsync("未保存：请修正以下问题。");
        await Assertions.Expect(page.Locator("[data-testid=problems] li[data-field='rules[0].when']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=problems] li[data-field='rules[0].steps[0].group']")).ToContainTextAsync("'seniors' is not one of the groups");

        // The example as it was: saved as version 1; in English, the version line says so.
        await page.GetByTestId("document").FillAsync(example);
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("result")).ToHaveTextAsync("已保存为版本 1。");
        await page.SelectOptionAsync("#language", "en");
        await Assertions.Expect(page.GetByTestId("version")).ToContainTextAsync("Version 1");
        Assert.Contains("\"version\":1", await client.GetStringAsync("/api/v1/routing/configuration", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
