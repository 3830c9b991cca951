namespace Switchboard.Core.Customers;

/// <summary>
/// What every record of the CRM replica carries: a GUIDv7 id, a version for optimistic concurrency
/// (a stale write is refused, never merged), and UTC creation and change times.
/// </summary>
public abstract class CrmRecord
{
    /// <summary>Internal id (GUIDv7).</summary>
    public Guid Id { get; set; }

    /// <summary>Incremented by every change; a write must name the version it read.</summary>
    public long Version { get; set; } = 1;

    /// <summary>When the record was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the record last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}
