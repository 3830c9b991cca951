namespace Switchboard.Core.Customers;

/// <summary>One entry in a ticket's history: a reply, a note, a status change explained.</summary>
public sealed class TicketUpdate : CrmRecord
{
    public Guid TicketId { get; set; }

    /// <summary>Who wrote it (an agent id or a system name).</summary>
    public string Author { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>Internal notes are not shown to the customer.</summary>
    public bool IsInternal { get; set; }
}
