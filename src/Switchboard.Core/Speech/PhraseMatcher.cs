namespace Switchboard.Core.Speech;

/// <summary>One phrase to find: its folded text (<see cref="TextFold"/>), and whether it ends in a wildcard.</summary>
/// <param name="Text">Folded, with single spaces between words.</param>
/// <param name="Prefix">True for <c>cancel*</c>: the last word may go on (cancels, cancellation).</param>
public readonly record struct Phrase(string Text, bool Prefix);

/// <summary>Where a phrase was found in a text: raw character positions, end exclusive.</summary>
public readonly record struct PhraseHit(int Phrase, int Start, int End);

/// <summary>
/// Every phrase of a rule set found in one call over a text, in two passes. Phrases of words only (letters, digits and
/// apostrophes of alphabetic scripts: nearly all English ones) go a word at a time through
/// <see cref="WordPhraseMatcher"/>; the rest (Chinese, mixed, with signs) through an Aho–Corasick automaton over folded
/// characters, with the alphabet compressed to the characters the phrases use (a 128 KB table, shared by both passes,
/// takes a raw character straight to its class, folding included). Runs of spaces and punctuation in the text count as
/// one space, so "cancel, my account" finds "cancel my account". Alphabetic phrases must start and end on word
/// boundaries (unless they end in a wildcard); CJK boundaries are left to the caller, which segments only texts that
/// hit. Hits come in the order of their ends, then starts (longest first), then phrases.
/// </summary>
public sealed class PhraseMatcher
{
    internal const ushort WordBit = 0x8000;

    /// <summary>The most different characters the phrases may use (a class is 15 bits; the 16th marks word characters).</summary>
    public const int MaxCharacters = 30_000;
    private readonly ushort[] _classOf;      // raw char → class (0: in no phrase)
    private readonly ushort _spaceClass;
    private readonly AhoCorasick? _characters;  // null when every phrase is of words
    private readonly WordPhraseMatcher? _words; // null when none is
    private readonly bool _asciiStartsNothing;  // no character phrase starts with an ASCII character (Chinese rules)
    private readonly int[] _length;          // phrase → folded length
    private readonly bool[] _alphabetic;     // phrase → boundaries checked here
    private readonly bool[] _prefix;
    private readonly bool[] _startsWord;     // phrase → begins with a letter or digit, so begins a word

    public PhraseMatcher(IReadOnlyList<Phrase> phrases)
    {
        Phrases = phrases;
        _classOf = new ushort[char.MaxValue + 1];
        var classes = new Dictionary<char, ushort>();
        ushort Class(char folded)
        {
            if (!classes.TryGetValue(folded, out var k))
            {
                classes[folded] = k = checked((ushort)(classes.Count + 1));
            }
            return k;
        }
        _spaceClass = Class(' ');
        _length = new int[phrases.Count];
        _alphabetic = new bool[phrases.Count];
        _prefix = new bool[phrases.Count];
        _startsWord = new bool[phrases.Count];
        var characters = new AhoCorasick.Builder();
        var ofWords = new List<(int, Phrase)>();
        for (var p = 0; p < phrases.Count; p++)
        {
            var text = phrases[p].Text;
            if (text.Length == 0 || text[0] == ' ' || text[^1] == ' ' || !string.Equals(TextFold.Fold(text), text, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Phrase {p} is empty or not folded.", nameof(phrases));
            }
            var path = text.Select(c => (int)Class(c)).ToArray();
            if (WordPhraseMatcher.Takes(text))
            {
                ofWords.Add((p, phrases[p]));
            }
            else
            {
                characters.Add(path, p);
            }
            _length[p] = text.Length;
            _alphabetic[p] = !text.Any(TextFold.IsCjk);
            _prefix[p] = phrases[p].Prefix;
            _startsWord[p] = TextFold.IsWordChar(text[0]);
        }
        for (var i = 0; i <= char.MaxValue; i++)
        {
            // The high bit marks a letter or digit (of an alphabetic script): a phrase never starts inside a word.
            var folded = TextFold.Fold((char)i);
            _classOf[i] = (ushort)(classes.GetValueOrDefault(folded) | (TextFold.IsWordChar(folded) ? WordBit : 0));
        }
        if (ofWords.Count < phrases.Count)
        {
            _characters = characters.Build(classes.Count + 1);
            var rootNext = _characters.RootNext;
            _asciiStartsNothing = Enumerable.Range(0, 128).All(c => rootNext[_classOf[c] & ~WordBit] == AhoCorasick.Root);
        }
        if (ofWords.Count > 0)
        {
            _words = new WordPhraseMatcher(ofWords, _classOf, _spaceClass);
        }
        StateCount = (_characters?.StateCount ?? 0) + (_words?.StateCount ?? 0);
    }

    public IReadOnlyList<Phrase> Phrases { get; }

    /// <summary>States of the automata (for the benchmarks' record).</summary>
    public int StateCount { get; }

    /// <summary>Adds every hit in <paramref name="text"/> to <paramref name="hits"/> (cleared first); returns the count.</summary>
    public int Find(ReadOnlySpan<char> text, List<PhraseHit> hits)
    {
        hits.Clear();
        // The character pass notes whether a word starts with a letter some word phrase uses; if none does (Chinese
        // text), the word pass has nothing to find.
        var words = _characters is null || FindCharacters(text, hits);
        var first = hits.Count;
        if (words && _words is not null && (_words.Find(text, hits) || first > 0 && hits.Count > first))
        {
            hits.Sort(static (a, b) => a.End != b.End ? a.End.CompareTo(b.End) : a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Phrase.CompareTo(b.Phrase));
        }
        return hits.Count;
    }

    /// <summary>The character automaton's hits; returns false if no word in the text starts with a character of some phrase.</summary>
    private bool FindCharacters(ReadOnlySpan<char> text, List<PhraseHit> hits)
    {
        var automaton = _characters!;
        var classOf = _classOf;
        var rootNext = automaton.RootNext;
        var space = _spaceClass;
        var state = AhoCorasick.Root;
        var lastWasSpace = true;
        var lastWasWord = false;
        var asciiStartsNothing = _asciiStartsNothing;
        var wordStarts = false;
        for (var i = 0; i < text.Length; i++)
        {
            var raw = classOf[text[i]];
            var word = raw >= WordBit;
            var k = (ushort)(raw & ~WordBit);
            if (state == AhoCorasick.Root)
            {
                // Text with few hits spends nearly all its time here: one table read for the class, one for the next
                // state; inside a word not even the second (a phrase that starts with a letter starts a word).
                if (word && lastWasWord)
                {
                    continue;
                }
                lastWasWord = word;
                wordStarts |= raw > WordBit;
                state = rootNext[k];
                if (state == AhoCorasick.Root)
                {
                    lastWasSpace = k == space;
                    if (asciiStartsNothing && text[i] < 0x80)
                    {
                        // English text under Chinese rules: the rest of the ASCII run skipped at once (vectorised).
                        var run = text[(i + 1)..].IndexOfAnyExceptInRange('\0', '\x7F');
                        wordStarts = true; // perhaps: the run was not read
                        if (run < 0)
                        {
                            break;
                        }
                        i += run;
                        var last = classOf[text[i]];
                        lastWasWord = last >= WordBit;
                        lastWasSpace = (last & ~WordBit) == space;
                    }
                    continue;
                }
            }
            else if (k == space && lastWasSpace)
            {
                continue; // a run of spaces and punctuation is one space
            }
            else
            {
                lastWasWord = word;
                wordStarts |= raw > WordBit;
                state = automaton.Next(state, k);
            }
            lastWasSpace = k == space;
            foreach (var p in automaton.Outputs(state))
            {
                var start = StartOf(text, i, _length[p]);
                if (Bounded(text, start, i + 1, _startsWord[p], _alphabetic[p] && !_prefix[p]))
                {
                    hits.Add(new PhraseHit(p, start, i + 1));
                }
            }
        }
        return wordStarts;
    }

    /// <summary>Where a hit of <paramref name="length"/> folded characters ending at <paramref name="last"/> starts (runs of spaces count once).</summary>
    private int StartOf(ReadOnlySpan<char> text, int last, int length)
    {
        var j = last;
        var count = 1;
        while (count < length)
        {
            j--;
            if ((_classOf[text[j]] & ~WordBit) == _spaceClass && (_classOf[text[j + 1]] & ~WordBit) == _spaceClass)
            {
                continue;
            }
            count++;
        }
        return j;
    }

    /// <summary>A phrase starting with a letter starts a word; an alphabetic one (without a wildcard) also ends one.</summary>
    private static bool Bounded(ReadOnlySpan<char> text, int start, int end, bool startsWord, bool endsWord) =>
        (!startsWord || start == 0 || !TextFold.IsWordChar(TextFold.Fold(text[start - 1])))
        && (!endsWord || end == text.Length || !TextFold.IsWordChar(TextFold.Fold(text[end])));
}
