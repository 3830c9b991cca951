using Switchboard.Core.Security;

namespace Switchboard.Core.Outbox;

/// <summary>What kind of receiver a destination is.</summary>
public enum DestinationKind
{
    /// <summary>An outbound webhook: every event POSTed as our signed envelope.</summary>
    Webhook,

    /// <summary>A CRM's REST API: each event rendered through the connector's routes (method, path, field template).</summary>
    Rest,

    /// <summary>The push side of a two-way sync (<see cref="Sync.SyncConnection"/>): each customer change sent as the CRM's upsert, mapped by the connection's spec.</summary>
    Sync,
}

/// <summary>
/// Somewhere the outbox delivers to: an outbound webhook or a REST connector to a CRM. Each has the events it wants,
/// a primary URL and optionally a backup one (failover: <see cref="Failover"/>), and a role that decides what of the
/// customer data it sees (<see cref="FieldPolicy"/>), as for any other viewer; systems are usually
/// <see cref="Role.Integration"/>. Every request is signed with the destination's secret (HMAC-SHA256 over
/// <c>{timestamp}.{body}</c>, shown once when made) and carries the event id as its idempotency key.
/// </summary>
public sealed class Destination
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public DestinationKind Kind { get; set; }

    /// <summary>The primary endpoint: the webhook's URL, or the connector's base URL (routes' paths are appended).</summary>
    public string Url { get; set; } = "";

    /// <summary>The backup channel: a secondary endpoint used while the primary's circuit is open; null to hold and forward.</summary>
    public string? BackupUrl { get; set; }

    /// <summary>Event types, comma-separated; <c>*</c> for all, <c>ticket.*</c> for a record type's.</summary>
    public string Events { get; set; } = "*";

    public string Secret { get; set; } = "";

    /// <summary>How a connector proves itself to the CRM (<see cref="ConnectorAuth"/>); none for webhooks (they sign).</summary>
    public ConnectorAuthScheme AuthScheme { get; set; }

    /// <summary>The connector's credential: a bearer token, <c>user:password</c> for basic, or <c>Header-Name: value</c>. Never shown again.</summary>
    public string? Credential { get; set; }

    /// <summary>A connector's routes as JSON (<see cref="ConnectorTemplate"/>); null for webhooks.</summary>
    public string? Routes { get; set; }

    public Role Role { get; set; } = Role.Integration;

    /// <summary>Attempts before a delivery goes to the dead letters. Default 8 (about 20 minutes with the backoff).</summary>
    public int MaxAttempts { get; set; } = 8;

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public long Version { get; set; }

    /// <summary>
    /// Whether the message goes to this destination: its type is wanted, and it is not a change a sync connection
    /// pulled from this very destination's CRM (loop prevention: what came from the CRM is not echoed back to it).
    /// </summary>
    public bool Takes(OutboxMessage message) => Wants(message.Type) && !(Kind == DestinationKind.Sync && message.Actor == Sync.SyncConnection.ActorOf(Name));

    /// <summary>Whether <paramref name="type"/> (e.g. <c>ticket.created</c>) is wanted.</summary>
    public bool Wants(string type) => Matches(Events, type) && (Kind != DestinationKind.Rest || ConnectorTemplate.Parse(Routes).Any(r => Matches(r.Events, type)));

    /// <summary>Whether a comma-separated list of event patterns (<c>*</c>, <c>ticket.*</c>, <c>ticket.created</c>) takes <paramref name="type"/>.</summary>
    public static bool Matches(string patterns, string type)
    {
        foreach (var wanted in patterns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (wanted == "*" || wanted == type || (wanted.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(wanted[..^1], StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }
}
