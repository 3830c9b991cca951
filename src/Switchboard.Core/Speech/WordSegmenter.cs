using JiebaNet.Segmenter;

namespace Switchboard.Core.Speech;

/// <summary>Words of a text as character ranges (end exclusive), spaces and punctuation left out.</summary>
public interface IWordSegmenter
{
    IReadOnlyList<Range> Words(string text);

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

    public static JiebaWordSegmenter Instance { get; } = new();

    private static JiebaSegmenter Jieba => _jieba ??= new JiebaSegmenter();

    /// <summary>Whether jieba's dictionary has the word (the jieba lock is taken).</summary>
    public static bool Knows(string word)
    {
        lock (Gate)
        {
            _ = Jieba;
            return WordDictionary.Instance.ContainsWord(word);
        }
    }

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
