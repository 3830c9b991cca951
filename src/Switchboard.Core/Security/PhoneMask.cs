using System.Text.RegularExpressions;

namespace Switchboard.Core.Security;

/// <summary>
/// Masks a phone number the way Chinese services print one (<c>138****8000</c>): the four digits before the last four
/// become stars, so the prefix (country code, carrier or area) and the last four stay for recognising the number on the
/// phone. Short numbers (fewer than 9 digits: extensions, service numbers) keep only their last two digits. Characters
/// other than digits are kept where they are.
/// </summary>
public static partial class PhoneMask
{
    [GeneratedRegex(@"\+?\d(?:[\d \-]{5,}\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLike();

    /// <summary>Free text with every run of seven or more digits (spaces and dashes between them allowed) masked: what a transcript may say aloud.</summary>
    public static string InText(string text) =>
        NumberLike().Replace(text, m => m.Value.Count(char.IsAsciiDigit) >= 7 ? Mask(m.Value)! : m.Value);

    public static string? Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return number;
        }
        var digits = 0;
        foreach (var c in number)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }
        // Digits counted from the end: [keepLast, keepLast + hidden) become stars.
        var (keepLast, hidden) = digits >= 9 ? (4, 4) : (2, Math.Max(0, digits - 2));
        return string.Create(number.Length, (number, keepLast, hidden), static (span, state) =>
        {
            var fromEnd = 0;
            for (var i = state.number.Length - 1; i >= 0; i--)
            {
                var c = state.number[i];
                if (char.IsAsciiDigit(c))
                {
                    span[i] = fromEnd >= state.keepLast && fromEnd < state.keepLast + state.hidden ? '*' : c;
                    fromEnd++;
                }
                else
                {
                    span[i] = c;
                }
            }
        });
    }
}
