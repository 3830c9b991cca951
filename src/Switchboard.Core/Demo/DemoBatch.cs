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

    public int RowCount => Customers.Count + ContactPoints.Count + Orders.Count + Tickets.Count + TicketUpdates.Count
        + Opportunities.Count + Tasks.Count + Interactions.Count + ExternalIds.Count;
}
