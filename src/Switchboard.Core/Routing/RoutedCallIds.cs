using Switchboard.Core.Agents;

namespace Switchboard.Core.Routing;

/// <summary>
/// The conventions routing shares with the telephony side: a call from a telephony source is routed as
/// "source/call id"; an agent's own presence (available, away, offline) maps one to one onto routing's statuses.
/// </summary>
public static class RoutedCallIds
{
    public static string Of(string source, string sourceCallId) => $"{source}/{sourceCallId}";

    /// <summary>The source and its call id, for ids made by <see cref="Of"/>; false for ids of the API's own.</summary>
    public static bool TrySplit(string callId, out string source, out string sourceCallId)
    {
        var slash = callId.IndexOf('/', StringComparison.Ordinal);
        (source, sourceCallId) = slash > 0 ? (callId[..slash], callId[(slash + 1)..]) : ("", "");
        return slash > 0;
    }

    public static RoutingAgentStatus ForRouting(this AgentStatus status) => status switch
    {
        AgentStatus.Available => RoutingAgentStatus.Available,
        AgentStatus.Away => RoutingAgentStatus.Away,
        _ => RoutingAgentStatus.Offline,
    };

    public static AgentStatus ForPresence(this RoutingAgentStatus status) => status switch
    {
        RoutingAgentStatus.Available => AgentStatus.Available,
        RoutingAgentStatus.Away => AgentStatus.Away,
        _ => AgentStatus.Offline,
    };
}
