using Switchboard.Core.Agents;

namespace Switchboard.Api;

/// <summary>REST for agents: who is available, away or offline, and since when.</summary>
internal static class AgentsApi
{
    public static void MapAgents(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/agents").WithTags("Agents");

        group.MapGet("/presence", (AgentPresenceBoard presence) => TypedResults.Ok(presence.All))
            .WithName("ListAgentPresence")
            .WithSummary("Every agent seen since the server started: available, away or offline, and since when (UTC). Agents set it on the desktop.");
    }
}
