namespace Switchboard.Core.Customers;

/// <summary>A phone number or email address of a customer. The raw text is always kept.</summary>
public sealed class ContactPoint : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    public ContactKind Kind { get; set; }

    /// <summary>The value exactly as it was given ("138 0013 8000", "+86 (21) 5555-0100 ext. 8").</summary>
    public string Raw { get; set; } = "";

    /// <summary>The E.164 form for phones that could be parsed ("+8613800138000"); null otherwise. Indexed for look-up.</summary>
    public string? E164 { get; set; }

    /// <summary>The number's digits reversed (<see cref="Identification.PhoneDigits"/>), for last-digits matching; null for emails.</summary>
    public string? ReversedDigits { get; set; }

    /// <summary>Lower-cased address for emails; null for phones.</summary>
    public string? Email { get; set; }

    public ContactPointStatus Status { get; set; }

    public bool IsPrimary { get; set; }

    /// <summary>A short note such as "assistant" or "after 6pm".</summary>
    public string? Label { get; set; }
}
