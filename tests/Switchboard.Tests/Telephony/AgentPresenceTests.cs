using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Agents;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Telephony;

public sealed class AgentPresenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAgent_SignsInAway_ChoosesAvailable_AndIsOfflineWhenTheLastDesktopGoes()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var heard = new List<AgentPresence>();
        var first = Connection(app, "agent-7", heard);
        var second = Connection(app, "agent-7", []);
        await first.StartAsync(Ct);
        await Eventually.TrueAsync(() => heard.Count == 1, "A desktop is told its status on connecting.");
        await second.StartAsync(Ct);

        var available = await second.InvokeAsync<AgentPresence>("SetPresence", AgentStatus.Available, Ct);
        Assert.Equal(AgentStatus.Available, available.Status);
        // The other desktop of the same agent hears it: it was told "away" on connecting, then "available".
        await Eventually.TrueAsync(() => heard.Count >= 2, "The other desktop should hear both statuses.");
        Assert.Equal([AgentStatus.Away, AgentStatus.Available], heard.Select(p => p.Status));

        var board = await (await client.GetAsync("/api/v1/agents/presence", Ct)).ReadAsync<List<AgentPresence>>();
        Assert.Equal(("agent-7", AgentStatus.Available), (board.Single().AgentId, board.Single().Status));

        // Offline is not the agent's to choose.
        var refused = await Assert.ThrowsAsync<HubException>(() => first.InvokeAsync<AgentPresence>("SetPresence", AgentStatus.Offline, Ct));
        Assert.Contains("status must be available or away", refused.Message, StringComparison.Ordinal);

        // One desktop closes: still available. The last one closes: offline.
        await second.DisposeAsync();
        Assert.Equal(AgentStatus.Available, (await (await client.GetAsync("/api/v1/agents/presence", Ct)).ReadAsync<List<AgentPresence>>()).Single().Status);
        await first.DisposeAsync();
        await Eventually.TrueAsync(async () => (await (await client.GetAsync("/api/v1/agents/presence", Ct)).ReadAsync<List<AgentPresence>>()).Single().Status == AgentStatus.Offline, "The agent should be offline once the last desktop goes.");
    }

    private static HubConnection Connection(SwitchboardApplication app, string agent, List<AgentPresence> heard)
    {
        var connection = app.AgentHub(agent);
        connection.On<AgentPresence>("Presence", p =>
        {
            lock (heard)
            {
                heard.Add(p);
            }
        });
        return connection;
    }
}
