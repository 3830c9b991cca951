namespace Switchboard.Core.Audit;

/// <summary>Through which face an audited read or change came.</summary>
public enum AuditChannel { System, Rest, SignalR, Soap, Cli, Sync }

/// <summary>What was done to the record.</summary>
public enum AuditAction { Read, Create, Update, Delete, Search, Export }

/// <summary>
/// One entry of the audit trail: who (actor and role), when (UTC), through which face, for which call, what was done
/// to which record, and the detail (the fields read, or each changed field's before and after, as JSON). Entries are
/// numbered without gaps and chained: <see cref="Mac"/> is HMAC-SHA256, under a key kept outside the database, over
/// the previous entry's MAC and this entry's content (<see cref="AuditChain"/>), so any change, removal, reordering or
/// insertion breaks the chain at that entry.
/// </summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }

    public DateTime At { get; set; }

    public string Actor { get; set; } = "";

    public string Role { get; set; } = "";

    public AuditChannel Channel { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>The record's type, e.g. <c>customer</c>, <c>ticket</c>, <c>routing_configuration</c>.</summary>
    public string RecordType { get; set; } = "";

    public string RecordId { get; set; } = "";

    /// <summary>The customer the record belongs to, when it belongs to one (what auditors filter by).</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The call the read or change served, if any.</summary>
    public string? CallId { get; set; }

    /// <summary>JSON: <c>{"fields":[…]}</c> for reads; <c>{"changes":{"field":{"before":…,"after":…}}}</c> for changes.</summary>
    public string Detail { get; set; } = "";

    /// <summary>HMAC-SHA256 (lowercase hex) chaining this entry to the one before.</summary>
    public string Mac { get; set; } = "";
}

/// <summary>An entry to append: the log numbers it, stamps the time and chains it.</summary>
public sealed record AuditRecord(
    string Actor, string Role, AuditChannel Channel, AuditAction Action, string RecordType, string RecordId, Guid? CustomerId, string? CallId, string Detail)
{
    /// <summary>Its appender does not wait for the commit (a pop's read): it may wait up to <see cref="AuditLog.Linger"/> for company.</summary>
    public bool Unhurried { get; init; }
}
