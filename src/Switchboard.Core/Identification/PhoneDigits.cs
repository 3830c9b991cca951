namespace Switchboard.Core.Identification;

/// <summary>
/// The reversed digits of a number, stored beside it so that "ends with these N digits" is an index range scan:
/// numbers ending in 8000 are those whose reversed digits start with 0008.
/// </summary>
public static class PhoneDigits
{
    /// <summary>Longest reversed-digit key stored (E.164 has at most 15 digits).</summary>
    public const int MaxLength = 15;

    /// <summary>The digits of the E.164 form (or, failing that, of the raw text) reversed; null when fewer than 6.</summary>
    public static string? Reversed(string? e164, string raw)
    {
        var source = e164 ?? raw.Normalize(System.Text.NormalizationForm.FormKC);
        var digits = source.Where(char.IsAsciiDigit).Reverse().Take(MaxLength).ToArray();
        return digits.Length >= 6 ? new string(digits) : null;
    }

    /// <summary>
    /// The half-open range [low, high) of reversed keys that end with the last <paramref name="count"/> digits of
    /// <paramref name="digits"/>; <c>high</c> is null when no upper bound is needed (all nines). Digits only, so the
    /// range means the same under any collation.
    /// </summary>
    public static (string Low, string? High)? SuffixRange(string digits, int count)
    {
        var only = new string(digits.Where(char.IsAsciiDigit).ToArray());
        if (only.Length < count)
        {
            return null;
        }
        var low = new string(only[^count..].Reverse().ToArray());
        var high = low.ToCharArray();
        for (var i = high.Length - 1; i >= 0; i--)
        {
            if (high[i] < '9')
            {
                high[i]++;
                return (low, new string(high, 0, i + 1));
            }
        }
        return (low, null);
    }
}
