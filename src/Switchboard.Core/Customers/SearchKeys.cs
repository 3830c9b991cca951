using System.Globalization;
using System.Text;

namespace Switchboard.Core.Customers;

/// <summary>Builds the search keys stored beside names, and the same keys for queries.</summary>
internal static class SearchKeys
{
    /// <summary>
    /// NFKC folds full-width forms to half-width ("ＡＢＣ公司" → "abc公司"), then lower case (invariant),
    /// and runs of white space become one space.
    /// </summary>
    public static string Name(string displayName)
    {
        var folded = displayName.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(folded.Length);
        var space = false;
        foreach (var ch in folded.Trim())
        {
            if (char.IsWhiteSpace(ch))
            {
                space = true;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(ch);
        }
        return builder.ToString();
    }
}
