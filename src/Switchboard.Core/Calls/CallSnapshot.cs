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
    CallOutcome? Outcome)
{
    /// <summary>The customer's side of the call: the caller on inbound calls, the called number on outbound ones.</summary>
    public string? CustomerNumber => Direction == CallDirection.Outbound ? To : From;
}
