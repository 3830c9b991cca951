using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.Agents;
using Switchboard.Core.Routing;

namespace Switchboard.Realtime;

/// <summary>
/// The agent desktop's real-time channel. The hub places a connection in its agent's group and keeps the agent's
/// presence; pops are pushed from Core through <see cref="SignalRAgentNotifier"/>. Until the security issue adds sign-in, the agent is
/// named by the <c>agent</c> query parameter (docs/realtime.md says so).
/// </summary>
internal sealed class AgentHub(ConnectedAgents connected, AgentPresenceBoard presence, RoutingService routing) : Hub<IAgentClient>
{
    public override async Task OnConnectedAsync()
    {
        var agent = Context.GetHttpContext()?.Request.Query["agent"].ToString();
        if (string.IsNullOrWhiteSpace(agent) || agent.Length > 64)
        {
            throw new HubException("Connect with ?agent={agent id} (at most 64 characters).");
        }
        Context.Items["agent"] = agent;
        await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroups.Of(agent));
        connected.Connected(agent);
        var signedIn = presence.SignedIn(agent);
        Route(agent, signedIn.Status);
        await Clients.Caller.Presence(signedIn);
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
        await Clients.Group(AgentGroups.Of(agent)).Presence(chosen.Value);
        return chosen.Value;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue("agent", out var agent) && agent is string name)
        {
            if (connected.Disconnected(name))
            {
                presence.SignedOut(name);
                Route(name, AgentStatus.Offline);
            }
        }
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The same choice for routing, when the agent is in the routing configuration (an agent outside it only gets pops).</summary>
    private void Route(string agent, AgentStatus status) =>
        _ = routing.SetPresence(agent, status switch
        {
            AgentStatus.Available => RoutingAgentStatus.Available,
            AgentStatus.Away => RoutingAgentStatus.Away,
            _ => RoutingAgentStatus.Offline,
        });
}

/// <summary>Group names, from one place.</summary>
internal static class AgentGroups
{
    public static string Of(string agentId) => "agent:" + agentId;
}
