namespace Switchboard.Core.Customers;

/// <summary>Something someone must do by a date: call back, send a quote, check a delivery.</summary>
public sealed class FollowUpTask : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    public string Title { get; set; } = "";

    /// <summary>The agent it is assigned to; or null when a team picks it up.</summary>
    public string? AssigneeAgentId { get; set; }

    /// <summary>The team it is assigned to.</summary>
    public string? AssigneeTeam { get; set; }

    public DateTime DueAt { get; set; }

    public FollowUpStatus Status { get; set; }

    /// <summary>What kind of record it follows up, if any.</summary>
    public FollowUpTarget? FollowsUpKind { get; set; }

    /// <summary>The id of the record it follows up.</summary>
    public Guid? FollowsUpId { get; set; }
}
