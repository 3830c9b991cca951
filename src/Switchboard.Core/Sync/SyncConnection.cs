using System.Text.Json.Serialization;
using Switchboard.Core.Outbox;

namespace Switchboard.Core.Sync;

/// <summary>Whose REST shapes a connection speaks (docs/sync.md lists the requests).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyncVendor>))]
public enum SyncVendor
{
    /// <summary>Salesforce's REST API: SOQL <c>queryAll</c> by <c>SystemModstamp</c>, upsert and delete by an external id field.</summary>
    Salesforce,

    /// <summary>HubSpot's CRM v3 API: search by the modified-date property, archived list for deletes, batch upsert by a unique property.</summary>
    HubSpot,
}

/// <summary>
/// An incremental two-way sync of customers with one object of a CRM (Salesforce Accounts, HubSpot contacts): pulled
/// by cursor (records modified since the stored <see cref="CursorAt"/>, less an overlap window, de-duplicated by the
/// modification time each record was last applied at), pushed through the outbox (its own <see cref="Destination"/>
/// of kind <see cref="DestinationKind.Sync"/>), mapped both ways by a stored mapping spec. The counters feed the sync
/// health on the API; they are written with each page, so they survive restarts.
/// </summary>
public sealed class SyncConnection
{
    public Guid Id { get; set; }

    /// <summary>A slug (<c>salesforce-accounts</c>): the actor of its changes is <c>sync:{name}</c>.</summary>
    public string Name { get; set; } = "";

    public SyncVendor Vendor { get; set; }

    /// <summary>The CRM's object: <c>Account</c>, <c>contacts</c>.</summary>
    public string Object { get; set; } = "";

    /// <summary>The mapping spec's name; its latest version is used at each pass.</summary>
    public string Mapping { get; set; } = "";

    /// <summary>The CRM's field that holds Switchboard's customer id (upserts go by it; a record coming back with it is linked on first sight).</summary>
    public string OurIdField { get; set; } = "";

    /// <summary>The property that says when a record last changed (HubSpot: <c>lastmodifieddate</c> for contacts, <c>hs_lastmodifieddate</c> for companies); Salesforce's is always <c>SystemModstamp</c>.</summary>
    public string ModifiedField { get; set; } = "";

    /// <summary>Records per page asked of the CRM.</summary>
    public int PageSize { get; set; }

    /// <summary>How often to look for changes when the last pass found none.</summary>
    public int PollMilliseconds { get; set; }

    /// <summary>How far before the cursor each pass starts again: records whose transaction committed late, with an earlier modification time, are still found.</summary>
    public int OverlapSeconds { get; set; }

    /// <summary>Whether customers made in Switchboard are pushed to the CRM (else only those linked to it are).</summary>
    public bool PushNew { get; set; }

    /// <summary>Whether deleting a customer in Switchboard deletes it in the CRM.</summary>
    public bool PushDeletes { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The outbox destination that carries the pushes (its URL, backup URL and credential are the CRM's).</summary>
    public Guid DestinationId { get; set; }

    /// <summary>The latest modification time applied; the next pass asks for records modified since it, less the overlap.</summary>
    public DateTime? CursorAt { get; set; }

    public DateTime CreatedAt { get; set; }

    // Counters since the connection was made, written with each page.
    public long Applied { get; set; }

    public long Unchanged { get; set; }

    /// <summary>Records seen again in an overlap or on a page boundary, already applied at that modification time.</summary>
    public long Duplicates { get; set; }

    /// <summary>Values Switchboard itself wrote to the CRM, recognised when they came back.</summary>
    public long Echoes { get; set; }

    public long Conflicts { get; set; }

    public long Deleted { get; set; }

    public long Quarantined { get; set; }

    /// <summary>Passes that failed (the CRM unreachable, refusing, or answering out of shape).</summary>
    public long FailedPasses { get; set; }

    public DateTime? LastPassAt { get; set; }

    public DateTime? LastSuccessAt { get; set; }

    /// <summary>The last failure: a status and reason or an exception's type, never a payload.</summary>
    public string? LastError { get; set; }

    /// <summary>The actor the changes a connection pulls are made as (and by which its own pushes skip them).</summary>
    public static string ActorOf(string name) => "sync:" + name;
}

/// <summary>
/// What a connection knows of one linked record: the CRM's key, the modification time it was last applied at (what
/// makes a record seen twice apply once), and the shadow: the values both sides last agreed on, by Switchboard field,
/// as JSON (a conflict is a field both changed since).
/// </summary>
public sealed class SyncState
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public Guid CustomerId { get; set; }

    public string Key { get; set; } = "";

    public DateTime SourceModifiedAt { get; set; }

    public string Shadow { get; set; } = "{}";
}

/// <summary>
/// A value Switchboard pushed to the CRM for a field of a customer, kept until it comes back (or for an hour), so that
/// the echo of our own write is recognised and neither applied over a newer local value nor pushed again.
/// </summary>
public sealed class SyncEcho
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public Guid CustomerId { get; set; }

    public string Field { get; set; } = "";

    /// <summary>The value as canonical JSON (<see cref="SyncValues.Canonical"/>).</summary>
    public string Value { get; set; } = "";

    public DateTime At { get; set; }
}

/// <summary>How one conflict was resolved: a field both sides changed since they last agreed.</summary>
public sealed class SyncConflict
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public Guid CustomerId { get; set; }

    public string Key { get; set; } = "";

    public string Field { get; set; } = "";

    /// <summary>Values as canonical JSON: what both last agreed on (null on first sight), ours, theirs.</summary>
    public string? Shadow { get; set; }

    public string? Local { get; set; }

    public string? Incoming { get; set; }

    /// <summary><c>owner:external</c>, <c>owner:switchboard</c>, or <c>newest</c> (shared fields: the later change wins).</summary>
    public string Rule { get; set; } = "";

    /// <summary><c>incoming</c> or <c>local</c>.</summary>
    public string Winner { get; set; } = "";

    public DateTime At { get; set; }
}
