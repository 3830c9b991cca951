using System.Collections.Concurrent;
using Switchboard.Core.Outbox;

namespace Switchboard.Delivery;

/// <summary>
/// Each destination's channel (primary, backup, holding) and rate-limit pause, as this node's workers see them: the
/// pump updates it after every attempt (<see cref="Failover.Next"/>), the health API reads it. A change of channel is
/// an alert, raised once by whichever attempt made it.
/// </summary>
internal sealed class DeliveryChannels
{
    private sealed class State
    {
        public Channel Channel;
        public DateTime PausedUntil;
    }

    private readonly ConcurrentDictionary<Guid, State> _states = new();

    public (Channel Channel, DateTime? PausedUntil) Get(Guid destinationId, DateTime now) =>
        _states.TryGetValue(destinationId, out var state)
            ? (state.Channel, state.PausedUntil > now ? state.PausedUntil : null)
            : (Channel.Primary, null);

    /// <summary>Applies an attempt; returns the channel before and after when it changed, else null.</summary>
    public (Channel From, Channel To)? Observe(Guid destinationId, EndpointResult primary, EndpointResult? backup)
    {
        var state = _states.GetOrAdd(destinationId, _ => new State());
        lock (state)
        {
            var (from, to) = (state.Channel, Failover.Next(state.Channel, primary, backup));
            state.Channel = to;
            return from == to ? null : (from, to);
        }
    }

    public Channel Current(Guid destinationId) => _states.TryGetValue(destinationId, out var state) ? state.Channel : Channel.Primary;

    /// <summary>The destination takes nothing until <paramref name="until"/> (a rate limit).</summary>
    public void Pause(Guid destinationId, DateTime until)
    {
        var state = _states.GetOrAdd(destinationId, _ => new State());
        lock (state)
        {
            if (until > state.PausedUntil)
            {
                state.PausedUntil = until;
            }
        }
    }

    public bool IsPaused(Guid destinationId, DateTime now) => _states.TryGetValue(destinationId, out var state) && state.PausedUntil > now;

    public void Forget(Guid destinationId) => _states.TryRemove(destinationId, out _);
}
