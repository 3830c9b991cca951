namespace Switchboard.Core.Outbox;

/// <summary>Which way a destination's deliveries go now.</summary>
public enum Channel
{
    /// <summary>To the primary endpoint.</summary>
    Primary,

    /// <summary>The primary's circuit is open: to the backup endpoint.</summary>
    Backup,

    /// <summary>The primary's circuit is open and there is no backup (or it is open too): held, in order, until one recovers.</summary>
    Holding,
}

/// <summary>What one endpoint did with one attempt, as failover sees it.</summary>
public enum EndpointResult
{
    /// <summary>Took it.</summary>
    Delivered,

    /// <summary>Failed, or asked to wait; its circuit is still closed (or half-open and now open again).</summary>
    Failed,

    /// <summary>Its circuit is open: nothing was sent.</summary>
    Open,
}

/// <summary>
/// Failover, apart from any I/O (property-tested). Every attempt goes to the primary first: while its circuit is
/// open the attempt costs nothing there and goes to the backup endpoint if there is one, else it is held (deferred,
/// not counted). The circuit breaker's own trial call after its break is what finds the primary healthy again; the
/// first delivery the primary takes switches the destination back, and what was held drains in order (per record,
/// as always: a key's next message waits for the one before it, whichever endpoint took that).
/// </summary>
public static class Failover
{
    /// <summary>The channel after an attempt whose primary came to <paramref name="primary"/> and backup (if tried) to <paramref name="backup"/>.</summary>
    public static Channel Next(Channel current, EndpointResult primary, EndpointResult? backup) => (primary, backup) switch
    {
        (EndpointResult.Delivered, _) => Channel.Primary,
        (_, EndpointResult.Delivered or EndpointResult.Failed) => Channel.Backup,
        (EndpointResult.Open, _) or (_, EndpointResult.Open) => Channel.Holding,
        _ => current, // the primary failed with its circuit closed: the breaker decides when failures are enough
    };

    /// <summary>
    /// Whether an attempt should go on to the backup: when there is one and the primary's circuit is open, or the
    /// primary failed its trial while the destination was already failed over (the message need not wait for it).
    /// </summary>
    public static bool TryBackup(Channel current, EndpointResult primary, bool hasBackup) =>
        hasBackup && (primary == EndpointResult.Open || (primary == EndpointResult.Failed && current != Channel.Primary));

    /// <summary>The alert a change of channel raises (<c>failover</c>, <c>holding</c>, <c>recovered</c>), or null when it did not change.</summary>
    public static string? Alert(Channel from, Channel to) => (from, to) switch
    {
        _ when from == to => null,
        (_, Channel.Backup) => DeliveryAlert.Failover,
        (_, Channel.Holding) => DeliveryAlert.Holding,
        _ => DeliveryAlert.Recovered,
    };
}

/// <summary>A destination changed channel: raised in the log and kept for the API (<c>/api/v1/delivery/alerts</c>).</summary>
public sealed class DeliveryAlert
{
    public const string Failover = "failover";
    public const string Holding = "holding";
    public const string Recovered = "recovered";

    public long Id { get; set; }

    public Guid DestinationId { get; set; }

    /// <summary><see cref="Failover"/> (to the backup), <see cref="Holding"/> (held, no backup), <see cref="Recovered"/> (back on the primary).</summary>
    public string Kind { get; set; } = "";

    public Channel Channel { get; set; }

    public DateTime At { get; set; }

    /// <summary>What happened, for a person: never a payload or a receiver's body.</summary>
    public string Detail { get; set; } = "";
}
