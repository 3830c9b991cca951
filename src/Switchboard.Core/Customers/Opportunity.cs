namespace Switchboard.Core.Customers;

/// <summary>A possible sale.</summary>
public sealed class Opportunity : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    public string Title { get; set; } = "";

    public OpportunityStage Stage { get; set; }

    public decimal Amount { get; set; }

    public string Currency { get; set; } = "";

    /// <summary>The sales agent who owns it.</summary>
    public string? OwnerAgentId { get; set; }

    public DateTime? ExpectedCloseAt { get; set; }
}
