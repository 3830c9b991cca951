using Switchboard.Core.Customers;

namespace Switchboard.Core.Identification;

/// <summary>What identification found for a caller.</summary>
public enum IdentificationKind
{
    /// <summary>The caller withheld the number.</summary>
    Anonymous,

    /// <summary>No customer has this number: offer to create a lead.</summary>
    Unknown,

    /// <summary>One customer.</summary>
    Single,

    /// <summary>Several customers (a shared company number): the agent chooses; the list is ranked.</summary>
    Multiple,
}

/// <summary>Why a candidate matched.</summary>
public enum MatchReason
{
    /// <summary>The caller's number, normalised, is one of the customer's numbers.</summary>
    ExactNumber,

    /// <summary>The last digits agree (a number stored or sent without its prefix).</summary>
    LastDigits,

    /// <summary>An agent chose this customer for this number before.</summary>
    RememberedChoice,
}

/// <summary>
/// A customer who may be the caller, with the facts the ranking used. <see cref="OpenTickets"/> and
/// <see cref="LastInteractionAt"/> are read only when there is something to rank (several candidates); for a single
/// match they are null, and the pop carries the customer's tickets and interactions anyway.
/// </summary>
public sealed record CallerCandidate(
    Guid CustomerId, string DisplayName, CustomerKind Kind, ValueTier Tier, Guid? CompanyId,
    int? OpenTickets, DateTime? LastInteractionAt, MatchReason Reason);

/// <summary>The answer to "who is calling?", best candidate first, with why.</summary>
/// <param name="Kind">Anonymous, unknown, one or several.</param>
/// <param name="Number">The number as the telephony source wrote it.</param>
/// <param name="E164">The number normalised, when it could be.</param>
/// <param name="Candidates">Best first; empty for anonymous and unknown callers.</param>
/// <param name="Explanation">One sentence for the agent: how the match was made.</param>
public sealed record CallerIdentification(
    IdentificationKind Kind, string? Number, string? E164, IReadOnlyList<CallerCandidate> Candidates, string Explanation);
