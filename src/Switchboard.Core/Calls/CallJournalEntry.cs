namespace Switchboard.Core.Calls;

/// <summary>
/// One accepted call event, as it was accepted: the call journal is the truth a call is rebuilt from.
/// Unique per (source, event key), so a duplicate delivery is stored once.
/// </summary>
public sealed class CallJournalEntry
{
    public Guid Id { get; set; }

    public string Source { get; set; } = "";

    public string SourceCallId { get; set; } = "";

    public string EventKey { get; set; } = "";

    public CallEventKind Kind { get; set; }

    /// <summary>When it happened, by the source's clock (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>When Switchboard accepted it (UTC).</summary>
    public DateTime ReceivedAt { get; set; }

    public CallDirection? Direction { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }

    public string? Queue { get; set; }

    public string? AgentId { get; set; }

    public EndCause? Cause { get; set; }

    public string? TransferTo { get; set; }

    public static CallJournalEntry Of(CallEvent e, Guid id, DateTime receivedAt) => new()
    {
        Id = id, Source = e.Source, SourceCallId = e.SourceCallId, EventKey = e.EventKey, Kind = e.Kind, At = e.At,
        ReceivedAt = receivedAt, Direction = e.Direction, From = e.From, To = e.To, Queue = e.Queue, AgentId = e.AgentId,
        Cause = e.Cause, TransferTo = e.TransferTo,
    };

    public CallEvent ToEvent() => new(Source, SourceCallId, EventKey, Kind, At, Direction, From, To, Queue, AgentId, Cause, TransferTo);
}
