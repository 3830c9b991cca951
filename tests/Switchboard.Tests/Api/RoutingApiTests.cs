using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Routing;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

public sealed class RoutingApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RoutingConfigurationDocument Document(string vipCondition = "tier == 'vip' || '续约临近' in tags") => new(
        ["senior", "general"],
        [
            new("a-senior", ["senior"], new Dictionary<string, int> { ["zh-CN"] = 5 }),
            new("a-general", ["general"], new Dictionary<string, int> { ["zh-CN"] = 3 }),
        ],
        [
            new("vip", vipCondition, "vip", 10, 90, true, [new("senior", null, 30), new("general", null, null)]),
            new("complaint", "openComplaint", "care", 5, null, false, [new("senior", null, null)]),
            new("everyone", null, "general", 0, null, false, [new("general", null, null)]),
        ],
        "longestIdle", 20, 3, 30);

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AVipCaller_IsRoutedPastTheQueueToTheSeniorAgent_WithTheRecordOfWhy(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", Tier = ValueTier.Vip, ContactPoints = [new() { Value = "13500135000" }] });
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "陈刚", ContactPoints = [new() { Value = "13600136000" }] });

        // Not configured yet: a clear conflict, not a guess.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c0", "13500135000", null, null))).StatusCode);

        var saved = await (await client.PutAsJsonAsync("/api/v1/routing/configuration", Document(), Ct)).ReadAsync<RoutingConfigurationView>();
        Assert.Equal(1, saved.Version);
        foreach (var agent in new[] { "a-senior", "a-general" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"/api/v1/routing/agents/{agent}/presence", new { status = "available" })).StatusCode);
        }

        var ordinary = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", "136 0013 6000", "service", "inbound"))).ReadAsync<RoutingAnswer>();
        Assert.Equal(("everyone", "a-general"), (ordinary.Decision.Rule, ordinary.Offer!.AgentId));
        var vip = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c2", "+86 135-0013-5000", "service", "inbound"))).ReadAsync<RoutingAnswer>();
        Assert.Equal(("vip", true, "vip"), (vip.Decision.Rule, vip.Facts.Known, vip.Facts.Tier));
        Assert.Equal("a-senior", vip.Offer!.AgentId);
        Assert.Contains("rule 'vip' matched", vip.Offer.Why, StringComparison.Ordinal);

        // The record on the call, through the API; answering and ending move the agent on.
        var record = await (await client.GetAsync("/api/v1/routing/calls/c2", Ct)).ReadAsync<RoutedCall>();
        Assert.Equal(("ringing", "a-senior"), (record.State, record.Agent));
        Assert.True((await (await client.PostJsonAsync("/api/v1/routing/calls/c2/answer", new { agentId = "a-senior" })).ReadAsync<AnswerResult>()).Answered);
        Assert.False((await (await client.PostJsonAsync("/api/v1/routing/calls/c1/answer", new { agentId = "a-senior" })).ReadAsync<AnswerResult>()).Answered);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/routing/calls/c2/end", null, Ct)).StatusCode);
        var agents = await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>();
        Assert.Equal(RoutingAgentStatus.WrapUp, agents.Single(a => a.Id == "a-senior").Status);

        // A stale If-Match changes nothing; a bad document names its problems; the version survives a restart of routing.
        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/routing/configuration") { Content = JsonContent.Create(Document("tier == 'gold'")) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(stale, Ct)).StatusCode);
        var bad = await client.PutAsJsonAsync("/api/v1/routing/configuration", Document("tier = = 'vip'"), Ct);
        Assert.Contains("rules[0].when", (await Problem.ReadAsync(bad, HttpStatusCode.BadRequest)).Errors.Keys);
        var current = await (await client.GetAsync("/api/v1/routing/configuration", Ct)).ReadAsync<RoutingConfigurationView>();
        Assert.Equal((1, "tier == 'vip' || '续约临近' in tags"), (current.Version, current.Document.Rules![0].When));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest(null, "1", null, "sideways"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/v1/routing/agents/nobody/presence", new { status = "available" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/routing/calls/none", Ct)).StatusCode);
    }

    [Fact]
    public async Task PresenceChosenOnTheDesktop_ReachesRouting()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await client.PutAsJsonAsync("/api/v1/routing/configuration", Document(), Ct);
        var desktop = app.AgentHub("a-general");
        await desktop.StartAsync(Ct);
        async Task<RoutingAgentStatus> StatusAsync() =>
            (await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>()).Single(a => a.Id == "a-general").Status;

        Task UntilAsync(RoutingAgentStatus expected) => Eventually.TrueAsync(async () => await StatusAsync() == expected, $"The agent should be {expected}.");

        await UntilAsync(RoutingAgentStatus.Away); // signed in, not ready (the hub reports the connection once it is open)
        await desktop.InvokeAsync<Switchboard.Core.Agents.AgentPresence>("SetPresence", Switchboard.Core.Agents.AgentStatus.Available, Ct);
        Assert.Equal(RoutingAgentStatus.Available, await StatusAsync());
        var routed = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", null, null, null))).ReadAsync<RoutingAnswer>();
        Assert.Equal(("everyone", false, "a-general"), (routed.Decision.Rule, routed.Facts.Known, routed.Offer!.AgentId));
        await desktop.DisposeAsync();
        await UntilAsync(RoutingAgentStatus.Offline);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task WaitingCalls_SurviveARestart_InTheirOrder_AndAnsweredOnesAreNotOfferedAgain(StorageProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await using var _ = store;
        using (var before = new SwitchboardApplication(store))
        {
            var client = before.CreateClient();
            await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", Tier = ValueTier.Vip, ContactPoints = [new() { Value = "13500135000" }] });
            await client.PutAsJsonAsync("/api/v1/routing/configuration", Document() with { Agents = [new("a-senior", ["senior", "general"], null)] }, Ct);
            await client.PostJsonAsync("/api/v1/routing/agents/a-senior/presence", new { status = "available" });
            var first = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", "13900000001", null, null))).ReadAsync<RoutingAnswer>();
            Assert.True((await (await client.PostJsonAsync("/api/v1/routing/calls/c1/answer", new { agentId = first.Offer!.AgentId })).ReadAsync<AnswerResult>()).Answered);
            await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c2", "13900000002", null, null));
            await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("v1", "13500135000", null, null));
        }

        using var after = new SwitchboardApplication(store);
        var restarted = after.CreateClient();
        var calls = await (await restarted.GetAsync("/api/v1/routing/calls", Ct)).ReadAsync<List<RoutedCall>>();
        Assert.Equal([("c2", "waiting"), ("v1", "waiting")], calls.Select(c => (c.Id, c.State)).Order());
        // The agent's desktop comes back: the VIP, though it called later, is offered first; c1 (answered) is not offered again.
        var offers = await (await restarted.PostJsonAsync("/api/v1/routing/agents/a-senior/presence", new { status = "available" })).ReadAsync<Offer[]>();
        Assert.Equal(("v1", "a-senior"), (offers.Single().CallId, offers.Single().AgentId));
        Assert.Equal(HttpStatusCode.OK, (await restarted.PostAsync("/api/v1/routing/calls/v1/end", null, Ct)).StatusCode);
        var remaining = await (await restarted.GetAsync("/api/v1/routing/calls", Ct)).ReadAsync<List<RoutedCall>>();
        Assert.Equal(["c2"], remaining.Select(c => c.Id));
    }
}
