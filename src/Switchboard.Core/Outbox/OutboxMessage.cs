namespace Switchboard.Core.Outbox;

/// <summary>
/// A change other systems must learn about, written in the same transaction as the change itself (transactional
/// outbox): nothing committed is missing from the outbox, nothing in it was not committed. Numbered in commit order
/// for any one record (the record's row is locked or version-checked by the same transaction).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary><c>{recordType}.{created|updated|deleted}</c>, or <c>call.logged</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>customer, ticket, ticket_update, task, opportunity, order, interaction, contact_point.</summary>
    public string RecordType { get; set; } = "";

    public Guid RecordId { get; set; }

    /// <summary>What delivery keeps in order: the customer the record belongs to (or the record, for one without).</summary>
    public string OrderKey { get; set; } = "";

    public Guid? CustomerId { get; set; }

    /// <summary>The record as the API shows it after the change (JSON), before field shaping; for a delete, as it was.</summary>
    public string Payload { get; set; } = "";

    public DateTime OccurredAt { get; set; }

    /// <summary>Who made the change (the audit trail's actor).</summary>
    public string Actor { get; set; } = "";

    /// <summary>When the router gave it to every subscription that wants it; null until then.</summary>
    public DateTime? RoutedAt { get; set; }
}

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus { Pending, Delivered, Dead }

/// <summary>One message on its way to one destination, with its attempts: at least once, in order per <see cref="OrderKey"/>.</summary>
public sealed class OutboxDelivery
{
    public long Id { get; set; }

    public Guid DestinationId { get; set; }

    public long MessageId { get; set; }

    /// <summary>The message, when it is routed in the save that writes it (its id is not known before).</summary>
    public OutboxMessage? Message { get; set; }

    public string OrderKey { get; set; } = "";

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>The last failure: an HTTP status and reason, or the exception's type (never the receiver's body).</summary>
    public string? LastError { get; set; }
}
