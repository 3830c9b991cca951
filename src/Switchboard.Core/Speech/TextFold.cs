using System.Globalization;

namespace Switchboard.Core.Speech;

/// <summary>
/// How speech text is compared, one character at a time through one table: Latin letters in lower case, full-width
/// forms as half-width (Ａ→a, ０→0, U+3000→space), traditional Chinese characters as simplified (OpenCC's
/// TSCharacters, first choice; 還→还, 帳→帐), curly apostrophes as <c>'</c>, and every other punctuation or space
/// mark as one space. A keyword and the text are folded alike, so 「取消」, 取消 and 取銷 … and CANCEL, Cancel and
/// ｃａｎｃｅｌ match each other. The table is 128 KB, built once.
/// </summary>
public static class TextFold
{
    private static readonly char[] Table = Build();

    /// <summary>The folded form of a character.</summary>
    public static char Fold(char c) => Table[c];

    /// <summary>The folded text, with runs of spaces as one and no space at either end.</summary>
    public static string Fold(string text)
    {
        var buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        var n = 0;
        foreach (var raw in text)
        {
            var c = Table[raw];
            if (c == ' ' && (n == 0 || buffer[n - 1] == ' '))
            {
                continue;
            }
            buffer[n++] = c;
        }
        while (n > 0 && buffer[n - 1] == ' ')
        {
            n--;
        }
        return new string(buffer[..n]);
    }

    /// <summary>A letter or digit of an alphabetic script: what a word boundary is measured against (not CJK).</summary>
    public static bool IsWordChar(char folded) => folded != ' ' && !IsCjk(folded) && char.IsLetterOrDigit(folded) || folded == '\'';

    /// <summary>A CJK ideograph (the unified block and extension A), where words are found by segmentation, not spaces.</summary>
    public static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    private static char[] Build()
    {
        var table = new char[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            table[i] = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                '\u2018' or '\u2019' or '\u02BC' or '\uFF07' => '\'',
                _ => c,
            };
            var f = table[i];
            if (char.IsLetter(f) && !IsCjk(f) && f < '\u0250')
            {
                f = char.ToLowerInvariant(f);
            }
            else if (f != '\'' && (char.IsWhiteSpace(f) || char.IsPunctuation(f) || char.IsSymbol(f) || char.IsControl(f)))
            {
                f = ' ';
            }
            table[i] = f;
        }
        foreach (var (traditional, simplified) in TraditionalToSimplified())
        {
            table[traditional] = simplified;
        }
        // A folded character folds to itself, so folding twice changes nothing (a table entry pointing at a character
        // that itself maps on, e.g. a traditional form of a variant, is followed to the end).
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var f = table[i];
            for (var hops = 0; hops < 4 && table[f] != f; hops++)
            {
                f = table[f];
            }
            table[i] = f;
        }
        return table;
    }

    /// <summary>OpenCC's traditional → simplified character table (embedded, Apache-2.0; see Speech/Data), BMP pairs only.</summary>
    private static IEnumerable<(char Traditional, char Simplified)> TraditionalToSimplified()
    {
        using var stream = typeof(TextFold).Assembly.GetManifestResourceStream("Switchboard.Core.Speech.Data.TSCharacters.txt")
            ?? throw new InvalidOperationException("The embedded TSCharacters table is missing from the build.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab != 1)
            {
                continue; // a supplementary-plane character on the left
            }
            var target = line.AsSpan(tab + 1);
            var space = target.IndexOf(' ');
            var first = space < 0 ? target : target[..space];
            if (first.Length == 1 && first[0] != line[0] && CharUnicodeInfo.GetUnicodeCategory(first[0]) == UnicodeCategory.OtherLetter)
            {
                yield return (line[0], first[0]);
            }
        }
    }
}
