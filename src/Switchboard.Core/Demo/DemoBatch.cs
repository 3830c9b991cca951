using Switchboard.Core.Customers;

namespace Switchboard.Core.Demo;

/// <summary>The rows generated for a run of consecutive customers, written in one transaction.</summary>
internal sealed class DemoBatch
{
    public List<Customer> Customers { get; } = [];
    public List<ContactPoint> ContactPoints { get; } = [];
    public List<Order> Orders { get; } = [];
    public List<Ticket> Tickets { get; } = [];
    public List<TicketUpdate> TicketUpdates { get; } = [];
    public List<Opportunity> Opportunities { get; } = [];
    public List<FollowUpTask> Tasks { get; } = [];
    public List<Interaction> Interactions { get; } = [];
    public List<ExternalId> ExternalIds { get; } = [];

    /// <summary>
    /// Orders each table's rows by id. History ids are GUIDv7 stamped with when things happened, which is
    /// random across customers; sorted, each batch lands in a few runs of the primary-key index instead of everywhere.
    /// </summary>
    public void SortByIdForLocality()
    {
        ContactPoints.Sort((a, b) => a.Id.CompareTo(b.Id));
        Orders.Sort((a, b) => a.Id.CompareTo(b.Id));
        Tickets.Sort((a, b) => a.Id.CompareTo(b.Id));
        TicketUpdates.Sort((a, b) => a.Id.CompareTo(b.Id));
        Opportunities.Sort((a, b) => a.Id.CompareTo(b.Id));
        Tasks.Sort((a, b) => a.Id.CompareTo(b.Id));
        Interactions.Sort((a, b) => a.Id.CompareTo(b.Id));
        ExternalIds.Sort((a, b) => a.Id.CompareTo(b.Id));
    }

    public int RowCount => Customers.Count + ContactPoints.Count + Orders.Count + Tickets.Count + TicketUpdates.Count
        + Opportunities.Count + Tasks.Count + Interactions.Count + ExternalIds.Count;
}
