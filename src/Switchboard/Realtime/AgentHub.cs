using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.Agents;
using Switchboard.Core.Routing;
using Switchboard.Core.Security;
using Switchboard.Security;

namespace Switchboard.Realtime;

/// <summary>
/// The agent desktop's real-time channel. The hub places a connection in its agent's group and keeps the agent's
/// presence; pops are pushed from Core through <see cref="SignalRAgentNotifier"/>. Until the security issue adds sign-in, the agent is
/// named by the <c>agent</c> query parameter (docs/realtime.md says so).
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Access.Desk)]
internal sealed class AgentHub(
    ConnectedAgents connected, AgentPresenceBoard presence, AgentPresenceStore store, RoutingService routing, IHostApplicationLifetime lifetime)
    : Hub<IAgentClient>
{
    public override async Task OnConnectedAsync()
    {
        // People are the agent they signed in as; systems (integration, admin: a softphone bridge, the simulator)
        // act for the agent they name in ?agent=, which they must.
        var requested = Context.GetHttpContext()?.Request.Query["agent"].ToString();
        var actsForOthers = Context.User?.IsInRole(nameof(Role.Integration)) == true || Context.User?.IsInRole(nameof(Role.Admin)) == true;
        var agent = actsForOthers ? requested : Context.User?.Identity?.Name;
        if (string.IsNullOrWhiteSpace(agent) || agent.Length > 64)
        {
            throw new HubException("Connect signed in as an agent, or as a system with ?agent={agent id} (at most 64 characters).");
        }
        Context.Items["agent"] = agent;
        await ReadyAsync(); // after a restart, the status chosen before it is remembered from the store
        await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroups.Of(agent));
        connected.Connected(agent);
        var signedIn = presence.SignedIn(agent);
        Route(agent, signedIn.Status);
        await Clients.Caller.Presence(signedIn);
        await KeepAsync(() => store.SetConnectedAsync(signedIn, true, CancellationToken.None));
        await base.OnConnectedAsync();
    }

    /// <summary>The agent chooses <c>available</c> or <c>away</c>; every desktop of theirs hears the new status.</summary>
    public async Task<AgentPresence> SetPresence(AgentStatus status)
    {
        var agent = (string)Context.Items["agent"]!;
        var chosen = presence.Choose(agent, status);
        if (chosen.Error is { } error)
        {
            // The client sees a HubException's message; it names the field and the reason, as a ProblemDetails would.
            throw new HubException(error.Fields is { } fields ? string.Join("; ", fields.Select(f => $"{f.Key} {string.Join(" ", f.Value)}")) : error.Message);
        }
        Route(agent, chosen.Value.Status);
        await KeepAsync(() => store.SaveAsync(chosen.Value, AgentPresenceStore.Desktop, CancellationToken.None));
        await Clients.Group(AgentGroups.Of(agent)).Presence(chosen.Value);
        return chosen.Value;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue("agent", out var agent) && agent is string name && connected.Disconnected(name))
        {
            presence.SignedOut(name);
            Route(name, AgentStatus.Offline);
            // The server going down closes every desktop; that is not the agents leaving, and they get their status back.
            if (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                await KeepAsync(() => store.SetConnectedAsync(new AgentPresence(name, AgentStatus.Offline, default), false, CancellationToken.None));
            }
        }
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Presence is kept for the next restart; a store that is down now costs only that, never the desktop's connection.</summary>
    private static async Task KeepAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException or InvalidOperationException)
        {
        }
    }

    /// <summary>Waits (5 s at most) for routing to have loaded; a store that is down only means the agent starts away.</summary>
    private async Task ReadyAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Context.ConnectionAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await routing.ReadyAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Data.Common.DbException)
        {
        }
    }

    /// <summary>The same choice for routing, when the agent is in the routing configuration (an agent outside it only gets pops).</summary>
    private void Route(string agent, AgentStatus status) => _ = routing.SetPresence(agent, status.ForRouting());
}

/// <summary>Group names, from one place.</summary>
internal static class AgentGroups
{
    public static string Of(string agentId) => "agent:" + agentId;
}
