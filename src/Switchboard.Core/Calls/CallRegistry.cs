using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Calls;

/// <summary>What accepting an event did.</summary>
/// <param name="Outcome">Applied, or a duplicate that was acknowledged and changed nothing.</param>
/// <param name="Call">The call after the event.</param>
/// <param name="Transition">What changed that features react to, if anything.</param>
public sealed record CallAcceptance(ApplyOutcome Outcome, CallSnapshot Call, CallTransition? Transition);

/// <summary>
/// The live calls, in memory. An event is checked, made durable in the journal, and only then applied and
/// acknowledged; after a restart the calls are rebuilt from the journal (<see cref="RebuildAsync"/>).
/// Because a call's state does not depend on the order its events are applied in, events of one call may be
/// journaled concurrently; only the in-memory swap is serialised per call.
/// </summary>
public sealed class CallRegistry(CallJournal journal, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Source, string CallId), Slot> _calls = new();
    private readonly ConcurrentQueue<((string Source, string CallId) Key, DateTimeOffset EndedAt)> _ended = new();
    private readonly TaskCompletionSource _rebuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the calls have been rebuilt from the journal after start (what routing restores its calls against).</summary>
    public Task WhenRebuilt => _rebuilt.Task;
    private ImmutableArray<Channel<CallAcceptance>> _subscribers = [];

    /// <summary>
    /// A new reader of every applied event that changed something features react to (a pop on ringing, history on
    /// end), in the order applied. Subscribe before events flow (the hosted services do, at start).
    /// </summary>
    public ChannelReader<CallAcceptance> Subscribe()
    {
        var channel = Channel.CreateUnbounded<CallAcceptance>(new UnboundedChannelOptions { SingleReader = true });
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(channel));
        return channel.Reader;
    }

    /// <summary>Live calls held in memory.</summary>
    public int Count => _calls.Count;

    public async Task<Result<CallAcceptance>> AcceptAsync(CallEvent e, CancellationToken cancellationToken)
    {
        if (CallEventValidator.Validate(e) is { } invalid)
        {
            return invalid;
        }
        var slot = _calls.GetOrAdd((e.Source, e.SourceCallId), key => new Slot(CallState.Start(key.Source, key.CallId)));
        var seen = slot.State;
        if (seen.EventKeys.Contains(e.EventKey))
        {
            return new CallAcceptance(ApplyOutcome.Duplicate, seen.Snapshot(), null);
        }

        await journal.AppendAsync(e, cancellationToken);

        lock (slot)
        {
            var (next, outcome, transition) = slot.State.Apply(e);
            slot.State = next;
            var acceptance = new CallAcceptance(outcome, next.Snapshot(), transition);
            if (transition?.Phase == CallPhase.Ended)
            {
                _ended.Enqueue(((e.Source, e.SourceCallId), time.GetUtcNow()));
            }
            if (transition is not null)
            {
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(acceptance);
                }
            }
            return acceptance;
        }
    }

    /// <summary>The call as it stands, or null when it is not held in memory.</summary>
    public CallSnapshot? Find(string source, string sourceCallId) =>
        _calls.TryGetValue((source, sourceCallId), out var slot) ? slot.State.Snapshot() : null;

    /// <summary>
    /// Rebuilds the calls whose events were accepted since <paramref name="since"/> from the journal, merging into
    /// calls already live (applying an event twice changes nothing, and order does not matter).
    /// </summary>
    public async Task<int> RebuildAsync(SwitchboardDbContext db, DateTime since, CancellationToken cancellationToken)
    {
        var calls = await db.CallJournal.AsNoTracking()
            .Where(e => e.ReceivedAt >= since)
            .Select(e => new { e.Source, e.SourceCallId })
            .Distinct()
            .ToListAsync(cancellationToken);
        foreach (var call in calls)
        {
            var entries = await db.CallJournal.AsNoTracking()
                .Where(e => e.Source == call.Source && e.SourceCallId == call.SourceCallId)
                .ToListAsync(cancellationToken);
            var slot = _calls.GetOrAdd((call.Source, call.SourceCallId), key => new Slot(CallState.Start(key.Source, key.CallId)));
            lock (slot)
            {
                slot.State = entries.Aggregate(slot.State, (state, entry) => state.Apply(entry.ToEvent()).State);
                if (slot.State.Phase == CallPhase.Ended)
                {
                    _ended.Enqueue(((call.Source, call.SourceCallId), time.GetUtcNow()));
                }
            }
        }
        _rebuilt.TrySetResult();
        return calls.Count;
    }

    /// <summary>
    /// Forgets calls that ended more than <paramref name="keepEnded"/> ago, so memory holds live calls and a short
    /// tail of ended ones; the journal keeps them all. A late event for a forgotten call starts a new in-memory call
    /// (journaled as usual; a rebuild merges it with the rest).
    /// </summary>
    public int EvictEnded(TimeSpan keepEnded)
    {
        var cutoff = time.GetUtcNow() - keepEnded;
        var evicted = 0;
        while (_ended.TryPeek(out var oldest) && oldest.EndedAt <= cutoff && _ended.TryDequeue(out oldest))
        {
            if (_calls.TryGetValue(oldest.Key, out var slot) && slot.State.Phase == CallPhase.Ended && _calls.TryRemove(new(oldest.Key, slot)))
            {
                evicted++;
            }
        }
        return evicted;
    }

    private sealed class Slot(CallState state)
    {
        private volatile CallState _state = state;

        public CallState State
        {
            get => _state;
            set => _state = value;
        }
    }
}
