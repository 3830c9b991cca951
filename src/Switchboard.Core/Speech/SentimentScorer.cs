using System.Globalization;

namespace Switchboard.Core.Speech;

/// <summary>A sentiment score for one segment of speech, from −1 (angry, upset) to 1 (pleased). A trained model may replace the built-in one.</summary>
public interface ISentimentScorer
{
    double Score(string text, string language);
}

/// <summary>
/// The built-in scorer: lexicons and rules, in the manner of VADER (Hutto &amp; Gilbert, 2014), for English and Chinese
/// alike. Sentiment words and the modifiers are found in one pass by a <see cref="PhraseMatcher"/> (the longest
/// phrase wins where they overlap); a negator just before a word (within three words, or four characters of Chinese,
/// in the same clause) flips and damps it, an intensifier scales it, words after a contrast (but, 但是) count 1.5× and
/// those before it 0.5×; the sum is normalised as VADER does, x/√(x²+15). Lexicons: Speech/Lexicons/README.md.
/// </summary>
public sealed class LexiconSentimentScorer : ISentimentScorer
{
    private const double NegationFactor = -0.74; // VADER's N_SCALAR
    private static readonly System.Buffers.SearchValues<char> ClauseBreaks = System.Buffers.SearchValues.Create(",.;:!?，。；：！？、");

    private readonly PhraseMatcher _matcher;
    private readonly Entry[] _entries;

    private LexiconSentimentScorer(IReadOnlyList<(string Term, Entry Entry)> terms)
    {
        _matcher = new PhraseMatcher(terms.Select(t => new Phrase(t.Term, false)).ToList());
        _entries = terms.Select(t => t.Entry).ToArray();
    }

    /// <summary>The scorer over the embedded lexicons (built once; thread-safe).</summary>
    public static LexiconSentimentScorer Default { get; } = Load();

    /// <summary>Terms in the lexicons, for the record.</summary>
    public int Terms => _entries.Length;

    public double Score(string text, string language)
    {
        var hits = new List<PhraseHit>();
        _matcher.Find(text, hits);
        if (hits.Count == 0)
        {
            return 0;
        }
        // Longest first where hits overlap (不满意 over 满意), then in text order.
        var kept = new List<PhraseHit>();
        foreach (var hit in hits.OrderBy(h => h.Start).ThenByDescending(h => h.End - h.Start))
        {
            if (kept.Count > 0 && hit.Start < kept[^1].End)
            {
                if (hit.End - hit.Start > kept[^1].End - kept[^1].Start && hit.Start == kept[^1].Start)
                {
                    kept[^1] = hit;
                }
                continue;
            }
            kept.Add(hit);
        }
        var contrast = -1;
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            if (_entries[kept[i].Phrase].Kind == Kind.Contrast)
            {
                contrast = kept[i].Start;
                break;
            }
        }
        var sum = 0.0;
        for (var i = 0; i < kept.Count; i++)
        {
            var entry = _entries[kept[i].Phrase];
            if (entry.Kind != Kind.Sentiment)
            {
                continue;
            }
            var value = entry.Value;
            // Modifiers reach back over earlier hits in the same clause, nearest first.
            for (var j = i - 1; j >= 0 && j >= i - 3; j--)
            {
                var modifier = _entries[kept[j].Phrase];
                if (!Near(text, kept[j], kept[i]))
                {
                    break;
                }
                if (modifier.Kind == Kind.Negator)
                {
                    value *= NegationFactor;
                }
                else if (modifier.Kind == Kind.Intensifier)
                {
                    value *= modifier.Value;
                }
            }
            if (contrast >= 0)
            {
                value *= kept[i].Start > contrast ? 1.5 : 0.5;
            }
            sum += value;
        }
        var exclamations = Math.Min(4, text.Count(c => c is '!' or '！'));
        if (sum != 0)
        {
            sum += Math.Sign(sum) * exclamations * 0.292;
        }
        return sum / Math.Sqrt(sum * sum + 15);
    }

    /// <summary>The modifier ends close before the word: within three words (alphabetic) or four characters (CJK), with no clause break between.</summary>
    private static bool Near(string text, PhraseHit modifier, PhraseHit word)
    {
        if (modifier.End > word.Start)
        {
            return false;
        }
        var between = text.AsSpan(modifier.End, word.Start - modifier.End);
        if (between.IndexOfAny(ClauseBreaks) >= 0)
        {
            return false;
        }
        var cjk = 0;
        var words = 0;
        var inWord = false;
        foreach (var c in between)
        {
            var f = TextFold.Fold(c);
            if (TextFold.IsCjk(f))
            {
                cjk++;
                inWord = false;
            }
            else if (TextFold.IsWordChar(f))
            {
                words += inWord ? 0 : 1;
                inWord = true;
            }
            else
            {
                inWord = false;
            }
        }
        return words <= 3 && cjk <= 4;
    }

    private static LexiconSentimentScorer Load()
    {
        var terms = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var name in new[] { "en.tsv", "zh.tsv" })
        {
            foreach (var fields in Rows(name))
            {
                if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
                {
                    terms.TryAdd(TextFold.Fold(fields[0]), new Entry(Kind.Sentiment, score));
                }
            }
        }
        // Our adjustments for speech on calls: words VADER scores positive that callers use as plain words ("I would like
        // to", "can you help me", "yes", "please") weigh nothing here (Lexicons/README.md).
        foreach (var fields in Rows("en-overrides.tsv"))
        {
            if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                terms[TextFold.Fold(fields[0])] = new Entry(Kind.Sentiment, score);
            }
        }
        foreach (var fields in Rows("modifiers.tsv"))
        {
            if (fields.Length < 4)
            {
                continue;
            }
            var kind = fields[1] switch { "negator" => Kind.Negator, "intensifier" => Kind.Intensifier, "contrast" => Kind.Contrast, _ => (Kind?)null };
            if (kind is not null && double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                terms[TextFold.Fold(fields[2])] = new Entry(kind.Value, value);
            }
        }
        return new LexiconSentimentScorer(terms.Where(t => t.Key.Length > 0).Select(t => (t.Key, t.Value)).ToList());
    }

    private static IEnumerable<string[]> Rows(string name)
    {
        using var stream = typeof(LexiconSentimentScorer).Assembly.GetManifestResourceStream("Switchboard.Core.Speech.Lexicons." + name)
            ?? throw new InvalidOperationException($"The embedded lexicon {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line.Split('\t');
            }
        }
    }

    private enum Kind { Sentiment, Negator, Intensifier, Contrast }

    private readonly record struct Entry(Kind Kind, double Value);
}
