using Switchboard.Core.Customers;

namespace Switchboard.Core.Identification;

/// <summary>
/// Orders the customers a number matched (pure): a remembered choice for the number first, then exact number
/// matches before last-digit ones, then who has more open tickets, then who was in touch most recently, then
/// people before companies, then the name. Ties never depend on the order the store returned rows.
/// </summary>
public static class CallerRanking
{
    public static IReadOnlyList<CallerCandidate> Rank(IEnumerable<CallerCandidate> candidates, Guid? rememberedCustomerId) =>
        candidates
            .Select(c => c.CustomerId == rememberedCustomerId ? c with { Reason = MatchReason.RememberedChoice } : c)
            .OrderByDescending(c => c.Reason == MatchReason.RememberedChoice)
            .ThenBy(c => c.Reason == MatchReason.LastDigits)
            .ThenByDescending(c => c.OpenTickets ?? 0)
            .ThenByDescending(c => c.LastInteractionAt ?? DateTime.MinValue)
            .ThenBy(c => c.Kind == CustomerKind.Company)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal)
            .ThenBy(c => c.CustomerId)
            .ToList();

    /// <summary>The sentence that tells the agent how the caller was matched.</summary>
    public static string Explain(IdentificationKind kind, IReadOnlyList<CallerCandidate> ranked, int lastDigits) => kind switch
    {
        IdentificationKind.Anonymous => "The caller withheld the number.",
        IdentificationKind.Unknown => "No customer has this number.",
        _ => (ranked[0].Reason, ranked.Count) switch
        {
            (MatchReason.RememberedChoice, 1) => "An agent chose this customer for this number before.",
            (MatchReason.RememberedChoice, var n) => $"{n} customers share this number; an agent chose this one before.",
            (MatchReason.ExactNumber, 1) => "The number is this customer's.",
            (MatchReason.ExactNumber, var n) => $"{n} customers share this number; ranked by open tickets and recent contact.",
            (MatchReason.LastDigits, 1) => $"Only the last {lastDigits} digits match a number of this customer.",
            (MatchReason.LastDigits, var n) => $"Only the last {lastDigits} digits match; {n} customers have such a number.",
        },
    };
}
