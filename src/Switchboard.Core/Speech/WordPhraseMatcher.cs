namespace Switchboard.Core.Speech;

/// <summary>
/// <see cref="PhraseMatcher"/>'s pass for phrases made only of words (letters, digits and apostrophes of alphabetic
/// scripts, one space between words: nearly every English phrase), a word at a time. Each word of the text is hashed
/// as it is read (over the shared character classes, so folding is included), looked up once in the phrases'
/// vocabulary and checked character by character; an Aho–Corasick automaton over word ids then follows the phrases.
/// A wildcard's last word is a prefix token: the lengths at which some prefix token ends are known, so a word is
/// probed there while it is read, and a prefix phrase completes where the words before it are a path of the automaton
/// (found by walking the failure links: rare). Same semantics as the character automaton: whole words, runs of spaces
/// and punctuation as one space; anything else between two words (a CJK character, a sign we do not fold) breaks a
/// phrase.
/// </summary>
internal sealed class WordPhraseMatcher
{
    private const ushort WordBit = PhraseMatcher.WordBit;
    private const ulong Prime = 0x9E3779B97F4A7C15;
    private const ulong Seed = 0xCBF29CE484222325;

    private readonly ushort[] _classOf;
    private readonly ushort _spaceClass;
    private readonly ulong[] _slotHash;
    private readonly int[] _slotEntry;         // -1: empty
    private readonly int _slotMask;
    private readonly int _slotShift;
    private readonly int[] _entryStart;        // entry → its classes in _entryClasses (entry + 1 → end)
    private readonly ushort[] _entryClasses;
    private readonly int[] _entryWord;         // entry → word id in whole-word phrases, or -1
    private readonly int[] _entryPrefix;       // entry → prefix token id, or -1
    private readonly bool[] _prefixEndsAt;     // word length → some prefix token is that long
    private readonly AhoCorasick _automaton;
    private readonly Dictionary<(int State, int Prefix), int[]> _waiting = [];  // prefix phrases by the state their other words lead to
    private readonly Dictionary<int, int> _words = [];                         // phrase → number of words

    /// <summary>
    /// True for a folded phrase this pass can take: word characters and single spaces only, no word longer than
    /// <see cref="PhraseSyntax.MaxLength"/> (an inflected one can be: the character pass takes it) and at most 64 words
    /// (the ring of word starts).
    /// </summary>
    public static bool Takes(string folded) =>
        folded.All(c => c == ' ' || TextFold.IsWordChar(c)) && folded.Split(' ') is { Length: <= 64 } words && words.All(w => w.Length <= PhraseSyntax.MaxLength);

    /// <param name="phrases">The phrases this pass takes, each with its id in the whole matcher.</param>
    /// <param name="classOf">The whole matcher's class table (raw character → class, word bit included).</param>
    /// <param name="spaceClass">The class of a folded space (spaces and punctuation).</param>
    public WordPhraseMatcher(IEnumerable<(int Id, Phrase Phrase)> phrases, ushort[] classOf, ushort spaceClass)
    {
        _classOf = classOf;
        _spaceClass = spaceClass;
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        var entryTexts = new List<string>();
        var entryWord = new List<int>();
        var entryPrefix = new List<int>();
        int Entry(string word)
        {
            if (!entries.TryGetValue(word, out var e))
            {
                entries[word] = e = entryTexts.Count;
                entryTexts.Add(word);
                entryWord.Add(-1);
                entryPrefix.Add(-1);
            }
            return e;
        }
        var wordIds = 0;
        var prefixIds = 0;
        var builder = new AhoCorasick.Builder();
        var waiting = new Dictionary<(int, int), List<int>>();
        _prefixEndsAt = new bool[PhraseSyntax.MaxLength + 1];
        foreach (var (id, phrase) in phrases)
        {
            var words = phrase.Text.Split(' ');
            _words[id] = words.Length;
            var whole = phrase.Prefix ? words[..^1] : words;
            var path = new int[whole.Length];
            for (var w = 0; w < whole.Length; w++)
            {
                var e = Entry(whole[w]);
                path[w] = entryWord[e] = entryWord[e] >= 0 ? entryWord[e] : wordIds++;
            }
            if (!phrase.Prefix)
            {
                builder.Add(path, id);
                continue;
            }
            var state = builder.Add(path, null);
            var last = Entry(words[^1]);
            var token = entryPrefix[last] = entryPrefix[last] >= 0 ? entryPrefix[last] : prefixIds++;
            _prefixEndsAt[words[^1].Length] = true;
            if (!waiting.TryGetValue((state, token), out var list))
            {
                waiting[(state, token)] = list = [];
            }
            list.Add(id);
        }
        _automaton = builder.Build(wordIds);
        foreach (var (key, list) in waiting)
        {
            _waiting[key] = [.. list];
        }

        _entryWord = [.. entryWord];
        _entryPrefix = [.. entryPrefix];
        _entryStart = new int[entryTexts.Count + 1];
        var classes = new List<ushort>();
        for (var e = 0; e < entryTexts.Count; e++)
        {
            _entryStart[e] = classes.Count;
            classes.AddRange(entryTexts[e].Select(c => (ushort)(classOf[c] & ~WordBit)));
        }
        _entryStart[entryTexts.Count] = classes.Count;
        _entryClasses = [.. classes];
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, entryTexts.Count * 2));
        _slotHash = new ulong[size];
        _slotEntry = new int[size];
        Array.Fill(_slotEntry, -1);
        _slotMask = size - 1;
        _slotShift = 64 - System.Numerics.BitOperations.Log2((uint)size);
        for (var e = 0; e < entryTexts.Count; e++)
        {
            var h = Seed;
            for (var j = _entryStart[e]; j < _entryStart[e + 1]; j++)
            {
                h = Mix(h, _entryClasses[j]);
            }
            h = Finish(h);
            var slot = (int)(h >> _slotShift);
            while (_slotEntry[slot] >= 0)
            {
                slot = (slot + 1) & _slotMask;
            }
            (_slotHash[slot], _slotEntry[slot]) = (h, e);
        }
    }

    public int StateCount => _automaton.StateCount;

    /// <summary>Adds every hit to <paramref name="hits"/> in the order of their ends; returns true if they may need sorting (prefix hits end inside words).</summary>
    public bool Find(ReadOnlySpan<char> text, List<PhraseHit> hits)
    {
        var classOf = _classOf;
        var prefixEndsAt = _prefixEndsAt;
        var anyPrefix = _waiting.Count > 0;
        Span<int> starts = stackalloc int[64];          // the last words' starts, a ring (a phrase has at most 33 words)
        Span<int> prefixes = stackalloc int[PhraseSyntax.MaxLength + 1];
        Span<ushort> spelled = stackalloc ushort[PhraseSyntax.MaxLength];
        var unsorted = false;
        var count = 0;
        var state = AhoCorasick.Root;
        var i = 0;
        while (i < text.Length)
        {
            var raw = classOf[text[i]];
            if (raw < WordBit)
            {
                if (raw != _spaceClass)
                {
                    state = AhoCorasick.Root; // not a space between two words: no phrase goes on over it
                }
                i++;
                continue;
            }
            // A word: its classes spelled out and hashed as it is read, probed for prefix tokens where one may end.
            var start = i;
            var h = Seed;
            var length = 0;
            var found = 0;
            while (true)
            {
                var k = (ushort)(raw & ~WordBit);
                if (k == 0 || length == spelled.Length)
                {
                    // A character in no phrase, or longer than any: no whole word, no longer prefix; on to the word's end.
                    length = -1;
                    while (++i < text.Length && classOf[text[i]] >= WordBit)
                    {
                    }
                    break;
                }
                spelled[length++] = k;
                h = Mix(h, k);
                if (anyPrefix && prefixEndsAt[length] && Lookup(Finish(h), spelled[..length]) is var e and >= 0 && _entryPrefix[e] >= 0)
                {
                    prefixes[found++] = e;
                }
                if (++i == text.Length || (raw = classOf[text[i]]) < WordBit)
                {
                    break;
                }
            }

            starts[count++ & 63] = start;
            for (var f = 0; f < found; f++)
            {
                unsorted = true;
                var e = prefixes[f];
                var end = start + (_entryStart[e + 1] - _entryStart[e]);
                for (var s = state; ; s = _automaton.Fail(s))
                {
                    if (_waiting.TryGetValue((s, _entryPrefix[e]), out var waiting))
                    {
                        foreach (var p in waiting)
                        {
                            hits.Add(new PhraseHit(p, starts[(count - _words[p]) & 63], end));
                        }
                    }
                    if (s == AhoCorasick.Root)
                    {
                        break;
                    }
                }
            }
            var word = length > 0 && Lookup(Finish(h), spelled[..length]) is var w and >= 0 ? _entryWord[w] : -1;
            if (word < 0)
            {
                state = AhoCorasick.Root; // a word in no phrase: every phrase starts again after it
                continue;
            }
            state = _automaton.Next(state, word);
            foreach (var p in _automaton.Outputs(state))
            {
                hits.Add(new PhraseHit(p, starts[(count - _words[p]) & 63], i));
            }
        }
        return unsorted;
    }

    /// <summary>The vocabulary entry spelled by <paramref name="classes"/> (hash <paramref name="h"/>), or -1.</summary>
    private int Lookup(ulong h, ReadOnlySpan<ushort> classes)
    {
        for (var slot = (int)(h >> _slotShift); _slotEntry[slot] is var e and >= 0; slot = (slot + 1) & _slotMask)
        {
            if (_slotHash[slot] == h && classes.SequenceEqual(_entryClasses.AsSpan(_entryStart[e], _entryStart[e + 1] - _entryStart[e])))
            {
                return e;
            }
        }
        return -1;
    }

    /// <summary>One character's class into the running hash: a rotation and an exclusive or (two cycles).</summary>
    private static ulong Mix(ulong h, ushort k) => System.Numerics.BitOperations.RotateLeft(h, 7) ^ k;

    /// <summary>The running hash spread over all bits, once per probe.</summary>
    private static ulong Finish(ulong h)
    {
        h *= Prime;
        return h ^ (h >> 29);
    }
}
