using System.Collections.Concurrent;

namespace Switchboard.Core.Agents;

/// <summary>
/// Whether an agent takes calls. The agent sets <see cref="Available"/> and <see cref="Away"/>; Switchboard sets
/// <see cref="Offline"/> when their last desktop goes. The routing issue adds ringing, busy and wrap-up, which
/// Switchboard will set from the calls.
/// </summary>
public enum AgentStatus
{
    /// <summary>No desktop connected.</summary>
    Offline,

    /// <summary>Ready for calls.</summary>
    Available,

    /// <summary>Signed in, not taking calls (break, meeting, after-call work of their own). The state after sign-in.</summary>
    Away,
}

/// <summary>An agent's status and when it began (UTC).</summary>
public sealed record AgentPresence(string AgentId, AgentStatus Status, DateTime Since);

/// <summary>
/// The agents' presence, in memory: a signed-in agent starts <see cref="AgentStatus.Away"/> (not ready until they
/// say so, as on every ACD), chooses available or away, and is offline once their last desktop disconnects. A
/// desktop that reconnects finds the status it left.
/// </summary>
public sealed class AgentPresenceBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AgentPresence> _agents = new(StringComparer.Ordinal);

    public AgentPresence SignedIn(string agent) =>
        _agents.AddOrUpdate(agent, a => Now(a, AgentStatus.Away), (a, current) => current.Status == AgentStatus.Offline ? Now(a, AgentStatus.Away) : current);

    /// <summary>The agent chooses a status; only <see cref="AgentStatus.Available"/> and <see cref="AgentStatus.Away"/> are theirs to choose.</summary>
    public Common.Result<AgentPresence> Choose(string agent, AgentStatus status)
    {
        if (status is not (AgentStatus.Available or AgentStatus.Away))
        {
            return Common.Error.Validation("status", "must be available or away; offline follows from signing out.");
        }
        return _agents.AddOrUpdate(agent, a => Now(a, status), (a, current) => current.Status == status ? current : Now(a, status));
    }

    public void SignedOut(string agent) => _agents.AddOrUpdate(agent, a => Now(a, AgentStatus.Offline), (a, _) => Now(a, AgentStatus.Offline));

    public AgentPresence? Find(string agent) => _agents.GetValueOrDefault(agent);

    /// <summary>Every agent seen since the server started, by id.</summary>
    public IReadOnlyList<AgentPresence> All => [.. _agents.Values.OrderBy(a => a.AgentId, StringComparer.Ordinal)];

    private AgentPresence Now(string agent, AgentStatus status) => new(agent, status, time.GetUtcNow().UtcDateTime);
}
