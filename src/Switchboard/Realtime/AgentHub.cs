using Microsoft.AspNetCore.SignalR;

namespace Switchboard.Realtime;

/// <summary>
/// The agent desktop's real-time channel. The hub only places a connection in its agent's group; everything is
/// pushed from Core through <see cref="SignalRAgentNotifier"/>. Until the security issue adds sign-in, the agent is
/// named by the <c>agent</c> query parameter (docs/realtime.md says so).
/// </summary>
internal sealed class AgentHub(ConnectedAgents connected) : Hub<IAgentClient>
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
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue("agent", out var agent) && agent is string name)
        {
            connected.Disconnected(name);
        }
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Group names, from one place.</summary>
internal static class AgentGroups
{
    public static string Of(string agentId) => "agent:" + agentId;
}
