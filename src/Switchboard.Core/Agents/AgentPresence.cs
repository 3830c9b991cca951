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
/// desktop that reconnects finds the status it left; so does one that reconnects after a restart of the server
/// (the status chosen before it is remembered from the store, see <see cref="Remember"/>).
/// </summary>
public sealed class AgentPresenceBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AgentPresence> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentPresence> _remembered = new(StringComparer.Ordinal);

    /// <summary>
    /// Statuses chosen before this process started: an agent whose desktop comes back (not one who signs in anew in
    /// this process) gets theirs instead of starting away.
    /// </summary>
    public void Remember(IEnumerable<AgentPresence> chosenBefore)
    {
        foreach (var presence in chosenBefore.Where(p => p.Status is AgentStatus.Available or AgentStatus.Away))
        {
            _remembered.TryAdd(presence.AgentId, presence);
        }
    }

    public AgentPresence SignedIn(string agent)
    {
        var before = _remembered.TryRemove(agent, out var remembered) ? remembered : null;
        return _agents.AddOrUpdate(agent, a => before ?? Now(a, AgentStatus.Away),
            (a, current) => current.Status != AgentStatus.Offline ? current : before ?? Now(a, AgentStatus.Away));
    }

    /// <summary>The agent chooses a status; only <see cref="AgentStatus.Available"/> and <see cref="AgentStatus.Away"/> are theirs to choose.</summary>
    public Common.Result<AgentPresence> Choose(string agent, AgentStatus status)
    {
        if (status is not (AgentStatus.Available or AgentStatus.Away))
        {
            return Common.Error.Validation("status", "must be available or away; offline follows from signing out.");
        }
        return _agents.AddOrUpdate(agent, a => Now(a, status), (a, current) => current.Status == status ? current : Now(a, status));
    }

    public void SignedOut(string agent)
    {
        _remembered.TryRemove(agent, out _);
        _agents.AddOrUpdate(agent, a => Now(a, AgentStatus.Offline), (a, _) => Now(a, AgentStatus.Offline));
    }

    public AgentPresence? Find(string agent) => _agents.GetValueOrDefault(agent);

    /// <summary>Every agent seen since the server started, by id.</summary>
    public IReadOnlyList<AgentPresence> All => [.. _agents.Values.OrderBy(a => a.AgentId, StringComparer.Ordinal)];

    private AgentPresence Now(string agent, AgentStatus status) => new(agent, status, time.GetUtcNow().UtcDateTime);
}
