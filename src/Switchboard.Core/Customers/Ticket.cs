namespace Switchboard.Core.Customers;

/// <summary>A service case in the ticket pool.</summary>
public sealed class Ticket : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    /// <summary>The ticket number, unique across the replica.</summary>
    public string Number { get; set; } = "";

    public string Subject { get; set; } = "";

    public TicketStatus Status { get; set; }

    public TicketPriority Priority { get; set; }

    /// <summary>A category such as "billing" or "complaint".</summary>
    public string? Category { get; set; }

    /// <summary>Complaints and other sensitive cases: their content is withheld from roles not cleared for it.</summary>
    public bool IsSensitive { get; set; }

    public List<TicketUpdate> Updates { get; set; } = [];
}
