namespace Switchboard.Core.Customers;

/// <summary>An entry of a customer's timeline: a call, a note, an email.</summary>
public sealed class Interaction : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    public InteractionKind Kind { get; set; }

    public InteractionDirection Direction { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>The agent who handled it.</summary>
    public string? AgentId { get; set; }

    /// <summary>The telephony call id, for calls.</summary>
    public string? CallId { get; set; }

    public string? Summary { get; set; }
}
