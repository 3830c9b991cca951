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
        public Task LastAlert = Task.CompletedTask;
    }

    /// <summary>
    /// A change of channel to raise. Alerts are kept in the order the changes happened: <see cref="After"/> completes
    /// when the change before this one was raised; complete <see cref="Raised"/> when this one is.
    /// </summary>
    public sealed record Change(Channel From, Channel To, Task After, TaskCompletionSource Raised);

    private readonly ConcurrentDictionary<Guid, State> _states = new();

    public (Channel Channel, DateTime? PausedUntil) Get(Guid destinationId, DateTime now) =>
        _states.TryGetValue(destinationId, out var state)
            ? (state.Channel, state.PausedUntil > now ? state.PausedUntil : null)
            : (Channel.Primary, null);

    /// <summary>Applies an attempt; returns the change when the channel changed, else null.</summary>
    public Change? Observe(Guid destinationId, EndpointResult primary, EndpointResult? backup)
    {
        var state = _states.GetOrAdd(destinationId, _ => new State());
        lock (state)
        {
            var (from, to) = (state.Channel, Failover.Next(state.Channel, primary, backup));
            if (from == to)
            {
                return null;
            }
            state.Channel = to;
            var change = new Change(from, to, state.LastAlert, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            state.LastAlert = change.Raised.Task;
            return change;
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
