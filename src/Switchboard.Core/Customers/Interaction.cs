namespace Switchboard.Core.Customers;

/// <summary>An entry of a customer's timeline: a call, a note, an email.</summary>
public sealed class Interaction : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    public InteractionKind Kind { get; set; }

    public InteractionDirection Direction { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>For calls: when an agent answered (null when nobody did).</summary>
    public DateTime? AnsweredAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>For calls: the queue it came through.</summary>
    public string? Queue { get; set; }

    /// <summary>For calls: answered, missed or abandoned.</summary>
    public Calls.CallOutcome? Outcome { get; set; }

    /// <summary>The agent who handled it.</summary>
    public string? AgentId { get; set; }

    /// <summary>The telephony call id, for calls.</summary>
    public string? CallId { get; set; }

    public string? Summary { get; set; }

    /// <summary>For calls: the agent's wrap-up code (a configured disposition: resolved, callback…).</summary>
    public string? Disposition { get; set; }
}
