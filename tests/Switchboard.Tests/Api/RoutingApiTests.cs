using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Agents;
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
    public async Task ARestart_KeepsWaitingCallsInTheirOrder_AnsweredCallsWithTheirAgents_AndPresenceSetThroughTheApi(StorageProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await using var _ = store;
        using (var before = new SwitchboardApplication(store))
        {
            var client = before.CreateClient();
            await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", Tier = ValueTier.Vip, ContactPoints = [new() { Value = "13500135000" }] });
            await client.PutAsJsonAsync("/api/v1/routing/configuration", Document() with { Agents = [new("a-senior", ["senior", "general"], null)], WrapUpSeconds = 0 }, Ct);
            await client.PostJsonAsync("/api/v1/routing/agents/a-senior/presence", new { status = "available" });
            var first = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", "13900000001", null, null))).ReadAsync<RoutingAnswer>();
            Assert.True((await (await client.PostJsonAsync("/api/v1/routing/calls/c1/answer", new { agentId = first.Offer!.AgentId })).ReadAsync<AnswerResult>()).Answered);
            await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c2", "13900000002", null, null));
            await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("v1", "13500135000", null, null));
        }

        using var after = new SwitchboardApplication(store);
        var restarted = after.CreateClient();
        var calls = await (await restarted.GetAsync("/api/v1/routing/calls", Ct)).ReadAsync<List<RoutedCall>>();
        Assert.Equal([("c1", "connected"), ("c2", "waiting"), ("v1", "waiting")], calls.Select(c => (c.Id, c.State)).Order());
        // The agent is still on c1 (so offered nothing), and available as the API said before the restart.
        var agent = (await (await restarted.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>()).Single();
        Assert.Equal((RoutingAgentStatus.Busy, "c1"), (agent.Status, agent.Call));
        // c1 ends: the VIP, though it called later, is offered first.
        var offers = await (await restarted.PostAsync("/api/v1/routing/calls/c1/end", null, Ct)).ReadAsync<Offer[]>();
        Assert.Equal(("v1", "a-senior"), (offers.Single().CallId, offers.Single().AgentId));
        Assert.Equal(HttpStatusCode.OK, (await restarted.PostAsync("/api/v1/routing/calls/v1/end", null, Ct)).StatusCode);
        var remaining = await (await restarted.GetAsync("/api/v1/routing/calls", Ct)).ReadAsync<List<RoutedCall>>();
        Assert.Equal([("c2", "ringing")], remaining.Select(c => (c.Id, c.State)));
    }

    [Fact]
    public async Task ANewConfiguration_KeepsAgentsPresence_AndTheirCalls()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await client.PutAsJsonAsync("/api/v1/routing/configuration", Document(), Ct);
        await client.PostJsonAsync("/api/v1/routing/agents/a-senior/presence", new { status = "available" });
        await client.PostJsonAsync("/api/v1/routing/agents/a-general/presence", new { status = "available" });
        var talking = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", null, null, null))).ReadAsync<RoutingAnswer>();
        Assert.True((await (await client.PostJsonAsync("/api/v1/routing/calls/c1/answer", new { agentId = talking.Offer!.AgentId })).ReadAsync<AnswerResult>()).Answered);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/routing/configuration", Document("tier == 'gold'"), Ct)).StatusCode);

        var agents = (await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>()).ToDictionary(a => a.Id);
        Assert.Equal((RoutingAgentStatus.Busy, "c1"), (agents["a-general"].Status, agents["a-general"].Call));
        Assert.Equal(RoutingAgentStatus.Available, agents["a-senior"].Status);
        // The busy agent is not offered the next general call: it waits.
        var next = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c2", null, null, null))).ReadAsync<RoutingAnswer>();
        Assert.Null(next.Offer);
    }

    [Fact]
    public async Task TheFirstConfiguration_TakesThePresenceDesktopsAlreadyGave()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await using var desktop = app.AgentHub("a-general");
        await desktop.StartAsync(Ct);
        await desktop.InvokeAsync<AgentPresence>("SetPresence", AgentStatus.Available, Ct);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/routing/configuration", Document(), Ct)).StatusCode);
        var agents = (await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>()).ToDictionary(a => a.Id);
        Assert.Equal((RoutingAgentStatus.Available, RoutingAgentStatus.Offline), (agents["a-general"].Status, agents["a-senior"].Status));
    }

    [Fact]
    public async Task ADesktopGetsItsPresenceBackAfterARestart_ButSigningInAnewStartsAway()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using (var before = new SwitchboardApplication(store))
        {
            await before.CreateClient().PutAsJsonAsync("/api/v1/routing/configuration", Document(), Ct);
            var desktop = before.AgentHub("a-general");
            await desktop.StartAsync(Ct);
            await desktop.InvokeAsync<AgentPresence>("SetPresence", AgentStatus.Available, Ct);
        } // the server stops with the desktop connected

        using var after = new SwitchboardApplication(store);
        var client = after.CreateClient();
        async Task<AgentPresence> ConnectAsync(HubConnection desktop)
        {
            var heard = new TaskCompletionSource<AgentPresence>(TaskCreationOptions.RunContinuationsAsynchronously);
            desktop.On<AgentPresence>("Presence", p => heard.TrySetResult(p));
            await desktop.StartAsync(Ct);
            return await heard.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        }
        var back = after.AgentHub("a-general");
        Assert.Equal(AgentStatus.Available, (await ConnectAsync(back)).Status);
        await Eventually.TrueAsync(async () => (await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>())
            .Single(a => a.Id == "a-general").Status == RoutingAgentStatus.Available, "Routing should have the agent available again.");

        // The agent closes the desktop while the server runs; signing in later starts away, as always.
        await back.DisposeAsync();
        await Eventually.TrueAsync(async () => await after.WithDbAsync(db => db.AgentPresences.AnyAsync(p => p.AgentId == "a-general" && !p.Connected, Ct)),
            "The desktop's leaving should be kept.");
        await using var later = after.AgentHub("a-general");
        Assert.Equal(AgentStatus.Away, (await ConnectAsync(later)).Status);
    }

    [Fact]
    public async Task AnAgentWhoMissesOffers_IsSetAway_AndTheDesktopHearsIt()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await client.PutAsJsonAsync("/api/v1/routing/configuration", Document() with { RingTimeoutSeconds = 5, MissedOffersBeforeAway = 1 }, Ct);
        await using var desktop = app.AgentHub("a-general");
        var heard = new System.Collections.Concurrent.ConcurrentQueue<AgentStatus>();
        desktop.On<AgentPresence>("Presence", p => heard.Enqueue(p.Status));
        await desktop.StartAsync(Ct);
        await desktop.InvokeAsync<AgentPresence>("SetPresence", AgentStatus.Available, Ct);
        await Eventually.TrueAsync(async () => (await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>())
            .Single(a => a.Id == "a-general").Status == RoutingAgentStatus.Available, "The agent should be available.");
        var offered = await (await client.PostJsonAsync("/api/v1/routing/decide", new RoutingRequest("c1", null, null, null))).ReadAsync<RoutingAnswer>();
        Assert.Equal("a-general", offered.Offer!.AgentId);

        // Nobody answers within 5 s: the call goes back to the queue, the agent is set away and the desktop shows it.
        await Eventually.TrueAsync(() => heard.SkipWhile(s => s != AgentStatus.Available).Contains(AgentStatus.Away), "The desktop should hear it is away.");
        var agent = (await (await client.GetAsync("/api/v1/routing/agents", Ct)).ReadAsync<List<RoutedAgent>>()).Single(a => a.Id == "a-general");
        Assert.Equal((RoutingAgentStatus.Away, 1), (agent.Status, agent.MissedOffers));
        Assert.Equal("waiting", (await (await client.GetAsync("/api/v1/routing/calls/c1", Ct)).ReadAsync<RoutedCall>()).State);
        Assert.True(await app.WithDbAsync(db => db.AgentPresences.AnyAsync(p => p.AgentId == "a-general" && p.Status == AgentStatus.Away && p.SetBy == "routing", Ct)));
    }
}
