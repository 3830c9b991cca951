using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;
using Switchboard.Core.Speech;

namespace Switchboard.Core.Knowledge;

/// <summary>
/// One Lucene analyzer for questions and answers in Chinese, English, or both in one sentence (我的APP登录不了):
/// text folded as the rules fold it (width, case, traditional → simplified), Chinese runs cut into words by jieba,
/// letters and digits into words; English stop words and a few Chinese function words dropped; English words
/// Porter-stemmed (cards → card, charged → charg).
/// </summary>
public sealed class SpeechAnalyzer : Analyzer
{
    public static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly CharArraySet Stop = Stops();

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new MixedTokenizer(reader);
        TokenStream stream = new StopFilter(Version, tokenizer, Stop);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    /// <summary>The words of a text as the index sees them (for grouping questions and for tests).</summary>
    public IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        using var stream = GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }
        stream.End();
        return terms;
    }

    private static CharArraySet Stops()
    {
        var set = new CharArraySet(Version, EnglishAnalyzer.DefaultStopSet, ignoreCase: false);
        foreach (var word in new[]
        {
            "haven", "hasn", "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "won", "wouldn", "couldn", "shouldn", "ain", "can", "i'm", "im",
            "i", "me", "my", "you", "your", "we", "our", "do", "does", "did", "have", "has", "am", "would", "could", "should", "how", "what", "why", "please",
            "的", "了", "吗", "呢", "啊", "吧", "呀", "嘛", "我", "你", "您", "我们", "你们", "是", "在", "有", "和", "就", "都", "也", "还", "请问", "一下", "这个", "那个",
        })
        {
            set.Add(word);
        }
        return set;
    }

    /// <summary>Splits folded text into CJK words (jieba) and alphabetic or numeric words, with their offsets.</summary>
    private sealed class MixedTokenizer : Tokenizer
    {
        private readonly ICharTermAttribute _term;
        private readonly IOffsetAttribute _offset;
        private readonly List<(int Start, int End, string Text)> _tokens = [];
        private int _next;

        public MixedTokenizer(TextReader input) : base(input)
        {
            _term = AddAttribute<ICharTermAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        public override bool IncrementToken()
        {
            ClearAttributes();
            if (_next >= _tokens.Count)
            {
                return false;
            }
            var (start, end, text) = _tokens[_next++];
            _term.SetEmpty().Append(text);
            _offset.SetOffset(CorrectOffset(start), CorrectOffset(end));
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            _tokens.Clear();
            _next = 0;
            var raw = m_input.ReadToEnd();
            var folded = string.Create(raw.Length, raw, static (span, t) =>
            {
                for (var i = 0; i < t.Length; i++)
                {
                    span[i] = TextFold.Fold(t[i]);
                }
            });
            var i = 0;
            while (i < folded.Length)
            {
                var c = folded[i];
                if (TextFold.IsCjk(c))
                {
                    var j = i;
                    while (j < folded.Length && TextFold.IsCjk(folded[j]))
                    {
                        j++;
                    }
                    var run = folded[i..j];
                    foreach (var word in JiebaWordSegmenter.Instance.Words(run))
                    {
                        _tokens.Add((i + word.Start.Value, i + word.End.Value, run[word]));
                    }
                    // Character bigrams too (as Lucene's CJK analyzer makes them): short questions often share a
                    // character pair where jieba cut them into different words (卡片/卡, 到账/没到).
                    for (var k = 0; k + 1 < run.Length; k++)
                    {
                        _tokens.Add((i + k, i + k + 2, string.Concat("_", run.AsSpan(k, 2))));
                    }
                    i = j;
                }
                else if (char.IsLetterOrDigit(c))
                {
                    var j = i;
                    while (j < folded.Length && (char.IsLetterOrDigit(folded[j]) && !TextFold.IsCjk(folded[j]) || folded[j] == '\'' && j + 1 < folded.Length && char.IsLetter(folded[j + 1])))
                    {
                        j++;
                    }
                    var word = folded[i..j];
                    var apostrophe = word.IndexOf('\'', StringComparison.Ordinal);
                    _tokens.Add((i, j, apostrophe > 0 ? word[..apostrophe] : word)); // can't → can, card's → card
                    i = j;
                }
                else
                {
                    i++;
                }
            }
        }
    }
}
