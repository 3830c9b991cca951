namespace Switchboard.Core.Customers;

/// <summary>Filters of the customer list; all given filters must match.</summary>
public sealed record CustomerQuery
{
    /// <summary>A phone number in any format; normalised to E.164 like stored numbers.</summary>
    public string? Phone { get; init; }

    /// <summary>Part of the display name; full-width and case differences are ignored.</summary>
    public string? Name { get; init; }

    /// <summary>An email address (exact, case-insensitive).</summary>
    public string? Email { get; init; }

    /// <summary>With <see cref="ExternalId"/>: the system whose id is given.</summary>
    public string? ExternalSystem { get; init; }

    /// <summary>With <see cref="ExternalSystem"/>: the customer's id in that system.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Contacts of this company.</summary>
    public Guid? CompanyId { get; init; }

    public ValueTier? Tier { get; init; }
}
