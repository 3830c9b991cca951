using System.Net.Http.Json;
using Microsoft.Playwright;
using Switchboard.Core.Customers;
using Switchboard.Core.Routing;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Web;

/// <summary>The supervisor's board in real Chromium, live over /hubs/supervisor.</summary>
public sealed class SupervisorPageBrowserTests
{
    private const string Chromium = BrowserSession.Chromium;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASupervisorWatchesAVipCallJumpAheadOfTheWaitingCalls()
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
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", Tier = ValueTier.Vip, ContactPoints = [new() { Value = "13500135000" }] });
        var document = new RoutingConfigurationDocument(["senior", "general"], [new("agent-1", ["senior", "general"], null)],
        [
            new("vip", "tier == 'vip'", "vip", 10, 90, true, [new("senior", null, null)]),
            new("everyone", null, "general", 0, null, false, [new("general", null, null)]),
        ], null, 60, null, 0);
        await client.PutAsJsonAsync("/api/v1/routing/configuration", document, Ct);
        await client.PostJsonAsync("/api/v1/routing/agents/agent-1/presence", new { status = "available" });
        // The only agent takes the first call; two more wait.
        var first = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", "13900000001", null, null))).ReadAsync<RoutingAnswer>();
        await client.PostJsonAsync("/api/v1/routing/calls/c1/answer", new { agentId = first.Offer!.AgentId });
        await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c2", "13900000002", null, null));
        await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c3", "13900000003", null, null));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await BrowserSession.SignInAsync(page, app, client.BaseAddress!, "supervisor-liu", Switchboard.Core.Security.Role.Supervisor);
        await page.GotoAsync(new Uri(client.BaseAddress!, "/supervisor/").ToString());
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("实时");
        var waiting = page.Locator("[data-testid=waiting] tbody tr");
        await Assertions.Expect(waiting).ToHaveCountAsync(2);
        Assert.Equal(["c2", "c3"], await waiting.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.call)"));
        await Assertions.Expect(page.Locator("[data-testid=active] tbody tr[data-call=c1]")).ToContainTextAsync("通话中");

        // A VIP calls: the board shows it first, ahead of the calls that waited longer.
        await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("v1", "+86 135 0013 5000", null, null));
        await Assertions.Expect(waiting).ToHaveCountAsync(3);
        Assert.Equal(["v1", "c2", "c3"], await waiting.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.call)"));
        await Assertions.Expect(waiting.First).ToHaveClassAsync("bypass");
        await Assertions.Expect(waiting.First).ToContainTextAsync("VIP");

        // The agent finishes (no wrap-up here): the VIP is offered first.
        await client.PostAsync("/api/v1/routing/calls/c1/end", null, Ct);
        await Assertions.Expect(page.Locator("[data-testid=active] tbody tr[data-call=v1]")).ToContainTextAsync("agent-1");
        await page.SelectOptionAsync("#language", "en");
        await Assertions.Expect(page.Locator("[data-testid=active] tbody tr[data-call=v1]")).ToContainTextAsync("Ringing");
    }
}
