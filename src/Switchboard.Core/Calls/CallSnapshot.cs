namespace Switchboard.Core.Calls;

/// <summary>A call's state as a plain value: what the call journal rebuilds and what features read.</summary>
public sealed record CallSnapshot(
    string Source,
    string SourceCallId,
    CallPhase Phase,
    CallDirection? Direction,
    string? From,
    string? To,
    string? Queue,
    string? Agent,
    bool OnHold,
    DateTime? StartedAt,
    DateTime? QueuedAt,
    DateTime? RingingAt,
    DateTime? AnsweredAt,
    DateTime? EndedAt,
    EndCause? EndCause,
    CallOutcome? Outcome);
