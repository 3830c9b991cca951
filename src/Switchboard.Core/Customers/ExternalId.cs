namespace Switchboard.Core.Customers;

/// <summary>
/// The identity map: one row per (record, external system). A record that came from another system keeps
/// that system's id here, unique per (entity type, system, external key).
/// </summary>
public sealed class ExternalId
{
    public Guid Id { get; set; }

    public CrmEntity EntityType { get; set; }

    public Guid EntityId { get; set; }

    /// <summary>The other system's name, e.g. "salesforce" or "erp".</summary>
    public string System { get; set; } = "";

    /// <summary>The record's id in that system.</summary>
    public string Key { get; set; } = "";
}
