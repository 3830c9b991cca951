using System.ComponentModel.DataAnnotations;

namespace Switchboard.Core.Identification;

/// <summary>Host settings under <c>Identification</c>.</summary>
public sealed class IdentificationOptions
{
    /// <summary>
    /// When no number matches exactly, match this many last digits (a number stored or sent without its country or
    /// area code). 0 turns the fallback off. Default 8; 6–15.
    /// </summary>
    [Range(0, PhoneDigits.MaxLength)]
    public int LastDigits { get; set; } = 8;

    /// <summary>The most candidates shown for a shared number. Default 10.</summary>
    [Range(1, 100)]
    public int MaxCandidates { get; set; } = 10;
}
