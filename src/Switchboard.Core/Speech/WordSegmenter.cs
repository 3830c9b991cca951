using JiebaNet.Segmenter;

namespace Switchboard.Core.Speech;

/// <summary>Words of a text as character ranges (end exclusive), spaces and punctuation left out.</summary>
public interface IWordSegmenter
{
    IReadOnlyList<Range> Words(string text);

    /// <summary>
    /// Words by the dictionary alone (no guessing of unknown words): what a Chinese phrase's boundaries are checked
    /// against on the hot path. Same contract as <see cref="Words"/>.
    /// </summary>
    IReadOnlyList<Range> DictionaryWords(string text);

    /// <summary>Teaches the segmenter words it does not know and must keep whole (a rule's Chinese phrases).</summary>
    void Learn(IEnumerable<string> words);
}

/// <summary>
/// Words by jieba (jieba.NET, MIT): Chinese by its dictionary and HMM, on the text folded to simplified forms (same
/// length, so ranges point into the original); alphabetic words by jieba too. jieba keeps one dictionary per process,
/// which <see cref="Learn"/> changes, so every use takes one lock: it runs only on texts that hit a Chinese phrase, on
/// knowledge base texts and questions, never on every segment.
/// </summary>
public sealed class JiebaWordSegmenter : IWordSegmenter
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Learnt = new(StringComparer.Ordinal);
    private static JiebaSegmenter? _jieba;
    private static Dictionary<string, int>? _trie;

    public static JiebaWordSegmenter Instance { get; } = new();

    private static JiebaSegmenter Jieba => _jieba ??= new JiebaSegmenter();

    /// <summary>Loads the dictionary now (a second or so, once per process) rather than on the first Chinese hit.</summary>
    public static void Warm()
    {
        lock (Gate)
        {
            _ = Jieba.Cut("预热");
        }
    }

    public IReadOnlyList<Range> Words(string text)
    {
        var folded = string.Create(text.Length, text, static (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = TextFold.Fold(t[i]) is var f && f != ' ' ? f : t[i];
            }
        });
        List<Token> tokens;
        lock (Gate)
        {
            tokens = Jieba.Tokenize(folded).ToList();
        }
        var words = new List<Range>(tokens.Count);
        foreach (var token in tokens)
        {
            if (token.Word.Any(c => TextFold.Fold(c) != ' '))
            {
                words.Add(new Range(token.StartIndex, token.EndIndex));
            }
        }
        return words;
    }

    /// <summary>
    /// jieba's own dictionary route (its DAG of dictionary words and the most probable path through it, as
    /// <c>Cut(text, hmm: false)</c> computes it) over jieba's trie, without jieba's per-call allocations and regular
    /// expressions: about a microsecond for the dozen characters around a hit, where <c>Cut</c> costs tens. A property
    /// test holds it to jieba's cut.
    /// </summary>
    public IReadOnlyList<Range> DictionaryWords(string text)
    {
        var n = text.Length;
        Span<char> folded = n <= 256 ? stackalloc char[n] : new char[n];
        for (var i = 0; i < n; i++)
        {
            folded[i] = TextFold.Fold(text[i]) is var f && f != ' ' ? f : text[i];
        }
        Span<double> score = n <= 256 ? stackalloc double[n + 1] : new double[n + 1];
        Span<int> next = n <= 256 ? stackalloc int[n] : new int[n];
        lock (Gate)
        {
            var trie = Trie;
            var lookup = trie.GetAlternateLookup<ReadOnlySpan<char>>();
            var logTotal = Math.Log(WordDictionary.Instance.Total);
            score[n] = 0;
            for (var k = n - 1; k >= 0; k--)
            {
                // Every dictionary word starting at k (the trie holds each word's prefixes with frequency 0), else k alone.
                var best = double.NegativeInfinity;
                var end = k;
                for (var i = k; i < n && lookup.TryGetValue(folded[k..(i + 1)], out var frequency); i++)
                {
                    if (frequency > 0)
                    {
                        var candidate = Math.Log(Math.Max(frequency, 1)) - logTotal + score[i + 1];
                        if (candidate > best)
                        {
                            (best, end) = (candidate, i);
                        }
                    }
                }
                if (double.IsNegativeInfinity(best))
                {
                    (best, end) = (Math.Log(1) - logTotal + score[k + 1], k);
                }
                (score[k], next[k]) = (best, end);
            }
        }
        var words = new List<Range>();
        for (var k = 0; k < n; k = next[k] + 1)
        {
            if (TextFold.Fold(text[k]) == ' ')
            {
                continue;
            }
            // As jieba does: single letters and digits in a row are one word (ATM, 500).
            if (next[k] == k && char.IsAsciiLetterOrDigit(folded[k]) && words.Count > 0 && words[^1].End.Value == k && SinglesRun(folded, next, words[^1]))
            {
                words[^1] = new Range(words[^1].Start, k + 1);
                continue;
            }
            words.Add(new Range(k, next[k] + 1));
        }
        return words;
    }

    /// <summary>Whether a word is a run of single letters or digits, each its own step of the route (jieba joins those).</summary>
    private static bool SinglesRun(ReadOnlySpan<char> folded, ReadOnlySpan<int> next, Range word)
    {
        for (var j = word.Start.Value; j < word.End.Value; j++)
        {
            if (next[j] != j || !char.IsAsciiLetterOrDigit(folded[j]))
            {
                return false;
            }
        }
        return true;
    }

    private static Dictionary<string, int> Trie => _trie ??= (Dictionary<string, int>)(typeof(WordDictionary).GetField("Trie", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)?.GetValue(WordDictionary.Instance)
        ?? throw new InvalidOperationException("jieba.NET's WordDictionary has no Trie: the version changed; check JiebaWordSegmenter.DictionaryWords."));

    public void Learn(IEnumerable<string> words)
    {
        lock (Gate)
        {
            foreach (var word in words)
            {
                // Only words jieba does not know (a competitor's brand): a known word keeps its own frequency, so 律师函
                // stays one word and the phrase 律师 does not fire inside it (律师* does).
                if (word.Length > 1 && Learnt.Add(word) && word.Any(TextFold.IsCjk) && !WordDictionary.Instance.ContainsWord(word))
                {
                    Jieba.AddWord(word);
                }
            }
        }
    }
}
