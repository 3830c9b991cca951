using System.Collections.Immutable;

namespace Switchboard.Core.Calls;

/// <summary>
/// A call, as a pure state machine over its canonical events. Every field is a join over the set of events seen:
/// the highest phase, the earliest start, the latest agent, and so on, each decided by the events' own
/// <see cref="Stamp"/> rather than by their arrival. So the state never goes backwards, a duplicate changes nothing,
/// events may arrive in any order (an <c>answered</c> before its <c>ringing</c> gives the same call), and a missing
/// intermediate event leaves a gap in the history, never a stuck call. See Calls/README.md.
/// </summary>
public sealed record CallState
{
    private Stamped<CallPhase>? _phase;
    private Stamped<CallDirection>? _direction;
    private Stamped<string>? _from;
    private Stamped<string>? _to;
    private Stamped<string>? _queue;
    private Stamped<string>? _agent;
    private Stamped<bool>? _hold;
    private Stamped<EndCause>? _end;
    private Stamp? _start;
    private Stamp? _queued;
    private Stamp? _ringing;
    private Stamp? _answered;

    private CallState(string source, string sourceCallId)
    {
        Source = source;
        SourceCallId = sourceCallId;
    }

    /// <summary>The telephony source the call came from.</summary>
    public string Source { get; }

    /// <summary>The source's id of the call.</summary>
    public string SourceCallId { get; }

    /// <summary>The keys of the events applied so far.</summary>
    public ImmutableHashSet<string> EventKeys { get; private init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public CallPhase Phase => _phase?.Value ?? CallPhase.Offered;

    public CallDirection? Direction => _direction?.Value;

    public string? From => _from?.Value;

    public string? To => _to?.Value;

    public string? Queue => _queue?.Value;

    /// <summary>The agent the call is with (or ringing at): the latest agent named by a ringing, answer or transfer.</summary>
    public string? Agent => _agent?.Value;

    public bool OnHold => Phase != CallPhase.Ended && (_hold?.Value ?? false);

    public DateTime? StartedAt => _start?.At;

    public DateTime? QueuedAt => _queued?.At;

    public DateTime? RingingAt => _ringing?.At;

    public DateTime? AnsweredAt => _answered?.At;

    public DateTime? EndedAt => _end?.Stamp.At;

    public EndCause? EndCause => _end?.Value;

    /// <summary>How the call turned out, once it has ended.</summary>
    public CallOutcome? Outcome => Phase != CallPhase.Ended ? null
        : AnsweredAt is not null ? CallOutcome.Answered
        : EndCause is Calls.EndCause.NoAnswer or Calls.EndCause.Busy or Calls.EndCause.Rejected or Calls.EndCause.Forwarded ? CallOutcome.Missed
        : CallOutcome.Abandoned;

    /// <summary>The call's public state as a value (equal for equal calls, whatever order their events came in).</summary>
    public CallSnapshot Snapshot() => new(
        Source, SourceCallId, Phase, Direction, From, To, Queue, Agent, OnHold,
        StartedAt, QueuedAt, RingingAt, AnsweredAt, EndedAt, EndCause, Outcome);

    /// <summary>An empty call for the given source and call id.</summary>
    public static CallState Start(string source, string sourceCallId) => new(source, sourceCallId);

    /// <summary>Applies one event; a duplicate (same key) is acknowledged and changes nothing.</summary>
    /// <exception cref="ArgumentException">The event belongs to another call (a bug in the caller).</exception>
    public (CallState State, ApplyOutcome Outcome, CallTransition? Transition) Apply(CallEvent e)
    {
        if (!string.Equals(e.Source, Source, StringComparison.Ordinal) || !string.Equals(e.SourceCallId, SourceCallId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event {e.EventKey} belongs to call {e.Source}/{e.SourceCallId}, not {Source}/{SourceCallId}.", nameof(e));
        }
        if (EventKeys.Contains(e.EventKey))
        {
            return (this, ApplyOutcome.Duplicate, null);
        }

        var stamp = Stamp.Of(e);
        var next = this with { EventKeys = EventKeys.Add(e.EventKey) };
        next._phase = Highest(_phase, PhaseOf(e.Kind), stamp);
        next._start = Min(_start, stamp);
        if (e.Direction is { } direction)
        {
            next._direction = Stamped<CallDirection>.Earliest(_direction, direction, stamp);
        }
        if (!string.IsNullOrEmpty(e.From))
        {
            next._from = Stamped<string>.Earliest(_from, e.From, stamp);
        }
        if (!string.IsNullOrEmpty(e.To))
        {
            next._to = Stamped<string>.Earliest(_to, e.To, stamp);
        }
        if (!string.IsNullOrEmpty(e.Queue))
        {
            next._queue = Stamped<string>.Latest(_queue, e.Queue, stamp);
        }
        if (AgentOf(e) is { } agent)
        {
            next._agent = Stamped<string>.Latest(_agent, agent, stamp);
        }
        switch (e.Kind)
        {
            case CallEventKind.Queued:
                next._queued = Min(_queued, stamp);
                break;
            case CallEventKind.Ringing:
                next._ringing = Min(_ringing, stamp);
                break;
            case CallEventKind.Answered:
                next._answered = Min(_answered, stamp);
                break;
            case CallEventKind.Held or CallEventKind.Resumed:
                next._hold = Stamped<bool>.Latest(_hold, e.Kind == CallEventKind.Held, stamp);
                break;
            case CallEventKind.Ended:
                next._end = Stamped<EndCause>.Earliest(_end, e.Cause ?? Calls.EndCause.Unknown, stamp);
                break;
        }
        return (next, ApplyOutcome.Applied, TransitionBetween(this, next));
    }

    /// <summary>Rebuilds a call from its events (a journal), in any order.</summary>
    public static CallState Rebuild(string source, string sourceCallId, IEnumerable<CallEvent> events) =>
        events.Aggregate(Start(source, sourceCallId), (state, e) => state.Apply(e).State);

    private static CallPhase PhaseOf(CallEventKind kind) => kind switch
    {
        CallEventKind.Offered => CallPhase.Offered,
        CallEventKind.Queued => CallPhase.Queued,
        CallEventKind.Ringing or CallEventKind.Transferred => CallPhase.Ringing,
        CallEventKind.Answered or CallEventKind.Held or CallEventKind.Resumed => CallPhase.Connected,
        CallEventKind.Ended => CallPhase.Ended,
    };

    private static string? AgentOf(CallEvent e) => e.Kind switch
    {
        CallEventKind.Transferred => NullIfEmpty(e.TransferTo) ?? NullIfEmpty(e.AgentId),
        CallEventKind.Ringing or CallEventKind.Answered => NullIfEmpty(e.AgentId),
        _ => null,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The phase is the highest any event implies; its stamp is the earliest event that implied it.</summary>
    private static Stamped<CallPhase>? Highest(Stamped<CallPhase>? current, CallPhase phase, Stamp stamp) =>
        current is not { } c || phase > c.Value || (phase == c.Value && stamp < c.Stamp) ? new Stamped<CallPhase>(phase, stamp) : current;

    private static Stamp? Min(Stamp? current, Stamp stamp) => current is { } c && c < stamp ? c : stamp;

    private static CallTransition? TransitionBetween(CallState before, CallState after)
    {
        // A call's first event is a transition too (the call appears), whatever phase it implies.
        var phase = after.Phase > before.Phase || before.EventKeys.IsEmpty ? after.Phase : (CallPhase?)null;
        var agent = after.Phase != CallPhase.Ended && !string.Equals(after.Agent, before.Agent, StringComparison.Ordinal) ? after.Agent : null;
        var hold = after.OnHold != before.OnHold ? after.OnHold : (bool?)null;
        return phase is null && agent is null && hold is null ? null : new CallTransition(phase, agent, hold);
    }
}
