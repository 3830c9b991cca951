using Microsoft.Playwright;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Web;

/// <summary>The planning page in real Chromium: forecast against actuals with the band; required against planned agents.</summary>
public sealed class PlanningPageBrowserTests
{
    private const string Chromium = BrowserSession.Chromium;

    [Fact]
    public async Task APlannerSeesTheForecastBandActualsAndAPlanThatCoversTheRequirement()
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
        await JournalHistory.SeedAsync(app, TestContext.Current.CancellationToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await BrowserSession.SignInAsync(page, app, client.BaseAddress!, "planner-wang", Switchboard.Core.Security.Role.Supervisor);

        // A Monday to come: 24 half hours of 4 calls on the vip queue.
        await page.GotoAsync(new Uri(client.BaseAddress!, "/planning/?queue=vip&day=2026-11-23").ToString());
        await Assertions.Expect(page.GetByTestId("summary")).ToContainTextAsync("预计来电 96 通");
        Assert.Equal("24", await page.Locator("[data-testid=forecast-chart] polyline[data-series=forecast]").GetAttributeAsync("data-points"));
        Assert.Equal(1, await page.Locator("[data-testid=forecast-chart] polygon[data-series=band]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=forecast-chart] polyline[data-series=actual]").CountAsync()); // not happened yet
        Assert.Equal(24, await page.Locator("[data-testid=staffing-chart] rect[data-series=required]").CountAsync());
        Assert.Equal(24, await page.Locator("[data-testid=staffing-chart] rect[data-series=planned]").CountAsync());
        await Assertions.Expect(page.GetByTestId("plan-summary")).ToContainTextAsync("任何时段都不缺人");
        // Planned never below required, bar by bar.
        var required = await page.Locator("[data-testid=staffing-chart] rect[data-series=required]").EvaluateAllAsync<double[]>("rs => rs.map(r => +r.getAttribute('height'))");
        var planned = await page.Locator("[data-testid=staffing-chart] rect[data-series=planned]").EvaluateAllAsync<double[]>("rs => rs.map(r => +r.getAttribute('height'))");
        Assert.All(required.Zip(planned), pair => Assert.True(pair.Second >= pair.First - 0.01));

        // A past day shows what came; in English too.
        await page.GetByTestId("day").FillAsync("2026-11-17");
        await page.GetByTestId("show").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-chart] polyline[data-series=actual]")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#language", "en");
        await Assertions.Expect(page.GetByTestId("summary")).ToContainTextAsync("2026-11-17: 48 calls expected");

        // A queue without history says why, instead of drawing nothing.
        await page.GetByTestId("queue").FillAsync("sales");
        await page.GetByTestId("show").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("needs call history first");
    }
}
