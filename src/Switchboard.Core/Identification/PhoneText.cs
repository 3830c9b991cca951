namespace Switchboard.Core.Identification;

/// <summary>A cheap syntactic check, before libphonenumber, that a text is meant to be a phone number.</summary>
public static class PhoneText
{
    private static readonly string[] ExtensionMarkers = ["ext.", "ext", "x", "#", "转", "分机"];

    /// <summary>
    /// True for digits with the usual punctuation (space, + - ( ) . /, full-width forms included) and an
    /// optional extension ("ext. 12", "x12", "#12", "转12"); false for words, letters or text without digits.
    /// </summary>
    public static bool LooksLikePhoneNumber(string text)
    {
        var value = text.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToLowerInvariant();
        foreach (var marker in ExtensionMarkers)
        {
            var at = value.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                var extension = value[(at + marker.Length)..].Trim();
                if (extension.Length == 0 || !extension.All(char.IsAsciiDigit))
                {
                    return false;
                }
                value = value[..at];
                break;
            }
        }
        var digits = 0;
        foreach (var ch in value)
        {
            if (char.IsAsciiDigit(ch))
            {
                digits++;
            }
            else if (ch is not (' ' or '+' or '-' or '(' or ')' or '.' or '/'))
            {
                return false;
            }
        }
        return digits is >= 3 and <= 20;
    }
}
