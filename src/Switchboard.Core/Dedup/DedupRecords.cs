namespace Switchboard.Core.Dedup;

/// <summary>Where a candidate pair stands.</summary>
public enum CandidateStatus { Open, Merged, Rejected }

/// <summary>A pair a scan found worth a person's look (or merged on its own): the two customers, the score and its weights.</summary>
public sealed class DuplicateCandidate
{
    public long Id { get; set; }

    public Guid FirstId { get; set; }

    public Guid SecondId { get; set; }

    public double Score { get; set; }

    public DedupDecision Decision { get; set; }

    /// <summary>The weight of each field, as JSON (<c>{"phone":11.2,"name":8.4}</c>): why they were paired.</summary>
    public string Weights { get; set; } = "{}";

    public CandidateStatus Status { get; set; }

    public DateTime FoundAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }
}

/// <summary>
/// A merge, kept so it can be undone: the customer that stayed and the one merged into it (its row as it was), every
/// record moved from one to the other, and the survivor's fields as they were before the merge filled them.
/// </summary>
public sealed class CustomerMerge
{
    public Guid Id { get; set; }

    public Guid SurvivorId { get; set; }

    public Guid MergedId { get; set; }

    /// <summary>The merged customer's row, as JSON.</summary>
    public string Merged { get; set; } = "{}";

    /// <summary>The survivor's fields the merge changed, with their values before, as JSON.</summary>
    public string SurvivorBefore { get; set; } = "{}";

    /// <summary>What moved, as JSON: record type → ids (contact points with whether they were primary).</summary>
    public string Moved { get; set; } = "{}";

    public long? CandidateId { get; set; }

    public DateTime At { get; set; }

    public string By { get; set; } = "";

    public DateTime? UndoneAt { get; set; }

    public string? UndoneBy { get; set; }
}
