namespace Switchboard.Core.Speech;

/// <summary>
/// How a phrase in a rule is written and what it matches: folded (<see cref="TextFold"/>); a trailing <c>*</c> lets the
/// last word go on (<c>cancel*</c>: cancels, cancellation; <c>退*</c>: 退款, 退货); a leading <c>=</c> asks for exactly
/// these words; otherwise an English phrase's last word also matches its simple inflections (complaint → complaints,
/// cancel → cancels, cancelled, canceled, cancelling; charge → charged, charging; reply → replies, replied).
/// </summary>
public static class PhraseSyntax
{
    public const int MaxLength = 64;

    /// <summary>The phrases to look for, or the reason the text is not a phrase.</summary>
    public static (IReadOnlyList<Phrase> Phrases, string? Error) Expand(string? written)
    {
        if (string.IsNullOrWhiteSpace(written))
        {
            return ([], "must not be empty.");
        }
        var text = written.Trim();
        var exact = text.StartsWith('=');
        var prefix = text.EndsWith('*');
        text = text.TrimStart('=').TrimEnd('*');
        if (text.Contains('*', StringComparison.Ordinal))
        {
            return ([], "may have a wildcard * only at its end.");
        }
        var folded = TextFold.Fold(text);
        if (folded.Length == 0)
        {
            return ([], "has no letters or characters to match once punctuation is set aside.");
        }
        if (folded.Length > MaxLength)
        {
            return ([], $"must be at most {MaxLength} characters.");
        }
        if (exact || prefix || folded.Any(TextFold.IsCjk))
        {
            return ([new Phrase(folded, prefix)], null);
        }
        var space = folded.LastIndexOf(' ');
        var head = folded[..(space + 1)];
        return (Inflections(folded[(space + 1)..]).Select(w => new Phrase(head + w, false)).ToList(), null);
    }

    /// <summary>The word and its simple English inflections (a little too many is harmless: they are only looked for).</summary>
    public static IEnumerable<string> Inflections(string word)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal) { word };
        if (word.Length < 3 || !word.All(c => c is >= 'a' and <= 'z'))
        {
            return forms;
        }
        const string vowels = "aeiou";
        var last = word[^1];
        var beforeLast = word[^2];
        if (last == 'e')
        {
            forms.UnionWith([word + "s", word + "d", word[..^1] + "ing"]);
        }
        else if (last == 'y' && !vowels.Contains(beforeLast, StringComparison.Ordinal))
        {
            forms.UnionWith([word[..^1] + "ies", word[..^1] + "ied", word + "ing"]);
        }
        else if (last is 's' or 'x' or 'z' || word.EndsWith("ch", StringComparison.Ordinal) || word.EndsWith("sh", StringComparison.Ordinal))
        {
            forms.UnionWith([word + "es", word + "ed", word + "ing"]);
        }
        else
        {
            forms.UnionWith([word + "s", word + "ed", word + "ing"]);
            // cancel → cancelled, stop → stopped: a final consonant after one vowel may double (both spellings kept).
            if (!vowels.Contains(last, StringComparison.Ordinal) && last is not ('w' or 'x' or 'y') && vowels.Contains(beforeLast, StringComparison.Ordinal)
                && !vowels.Contains(word[^3], StringComparison.Ordinal))
            {
                forms.UnionWith([word + last + "ed", word + last + "ing"]);
            }
        }
        return forms;
    }
}
