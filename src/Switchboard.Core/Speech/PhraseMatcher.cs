namespace Switchboard.Core.Speech;

/// <summary>One phrase to find: its folded text (<see cref="TextFold"/>), and whether it ends in a wildcard.</summary>
/// <param name="Text">Folded, with single spaces between words.</param>
/// <param name="Prefix">True for <c>cancel*</c>: the last word may go on (cancels, cancellation).</param>
public readonly record struct Phrase(string Text, bool Prefix);

/// <summary>Where a phrase was found in a text: raw character positions, end exclusive.</summary>
public readonly record struct PhraseHit(int Phrase, int Start, int End);

/// <summary>
/// Every phrase of a rule set found in one pass over a text: an Aho–Corasick automaton over folded characters, with
/// the alphabet compressed to the characters the phrases use (a 128 KB table takes a raw character straight to its
/// class, folding included), a dense row for the root (where text with few hits spends nearly all its time) and one
/// open-addressed table for the other edges. Runs of spaces and punctuation in the text count as one space, so
/// "cancel, my account" finds "cancel my account". Alphabetic phrases must start and end on word boundaries (unless
/// they end in a wildcard); CJK boundaries are left to the caller, which segments only texts that hit.
/// </summary>
public sealed class PhraseMatcher
{
    private const int Root = 0;
    private const ushort WordBit = 0x8000;

    /// <summary>The most different characters the phrases may use (a class is 15 bits; the 16th marks word characters).</summary>
    public const int MaxCharacters = 30_000;
    private readonly ushort[] _classOf;      // raw char → class (0: in no phrase)
    private readonly ushort _spaceClass;
    private readonly int[] _rootNext;        // class → state
    private readonly long[] _edgeKeys;       // (state << 16 | class) + 1, 0 = empty
    private readonly int[] _edgeNext;
    private readonly int _edgeMask;
    private readonly int[] _fail;
    private readonly int[] _outStart;        // state → first index in _outputs (state + 1 → end)
    private readonly int[] _outputs;         // phrase ids, own and by suffix
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
        // States by trie insertion; edges in a dictionary while building.
        var edges = new Dictionary<(int State, ushort Class), int>();
        var own = new List<List<int>> { new() };
        _length = new int[phrases.Count];
        _alphabetic = new bool[phrases.Count];
        _prefix = new bool[phrases.Count];
        _startsWord = new bool[phrases.Count];
        for (var p = 0; p < phrases.Count; p++)
        {
            var text = phrases[p].Text;
            if (text.Length == 0 || text[0] == ' ' || text[^1] == ' ')
            {
                throw new ArgumentException($"Phrase {p} is empty or not folded.", nameof(phrases));
            }
            var state = Root;
            foreach (var c in text)
            {
                var k = Class(c);
                if (!edges.TryGetValue((state, k), out var next))
                {
                    edges[(state, k)] = next = own.Count;
                    own.Add([]);
                }
                state = next;
            }
            own[state].Add(p);
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
        StateCount = own.Count;

        // Failure links breadth first, outputs merged along them.
        var children = new List<(ushort Class, int Next)>[own.Count];
        foreach (var ((state, k), next) in edges)
        {
            (children[state] ??= []).Add((k, next));
        }
        _rootNext = new int[classes.Count + 1];
        _fail = new int[own.Count];
        var outputs = new List<int>[own.Count];
        outputs[Root] = own[Root];
        var queue = new Queue<int>();
        foreach (var (k, next) in children[Root] ?? [])
        {
            _rootNext[k] = next;
            _fail[next] = Root;
            queue.Enqueue(next);
        }
        int Step(int state, ushort k)
        {
            while (true)
            {
                if (state == Root)
                {
                    return _rootNext[k];
                }
                if (edges.TryGetValue((state, k), out var next))
                {
                    return next;
                }
                state = _fail[state];
            }
        }
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            outputs[state] = [.. own[state], .. outputs[_fail[state]] ?? []];
            foreach (var (k, next) in children[state] ?? [])
            {
                _fail[next] = Step(_fail[state], k);
                queue.Enqueue(next);
            }
        }
        _outStart = new int[own.Count + 1];
        var flat = new List<int>();
        for (var s = 0; s < own.Count; s++)
        {
            _outStart[s] = flat.Count;
            flat.AddRange(outputs[s] ?? []);
        }
        _outStart[own.Count] = flat.Count;
        _outputs = [.. flat];

        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, edges.Count * 2));
        _edgeKeys = new long[size];
        _edgeNext = new int[size];
        _edgeMask = size - 1;
        foreach (var ((state, k), next) in edges)
        {
            if (state == Root)
            {
                continue;
            }
            var key = ((long)state << 16 | k) + 1;
            var slot = Slot(key);
            while (_edgeKeys[slot] != 0)
            {
                slot = (slot + 1) & _edgeMask;
            }
            (_edgeKeys[slot], _edgeNext[slot]) = (key, next);
        }
    }

    public IReadOnlyList<Phrase> Phrases { get; }

    /// <summary>States of the automaton (for the benchmarks' record).</summary>
    public int StateCount { get; }

    /// <summary>Adds every hit in <paramref name="text"/> to <paramref name="hits"/> (cleared first); returns the count.</summary>
    public int Find(ReadOnlySpan<char> text, List<PhraseHit> hits)
    {
        hits.Clear();
        var classOf = _classOf;
        var rootNext = _rootNext;
        var space = _spaceClass;
        var state = Root;
        var lastWasSpace = true;
        var lastWasWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var raw = classOf[text[i]];
            var word = raw >= WordBit;
            var k = (ushort)(raw & ~WordBit);
            if (state == Root)
            {
                // Text with few hits spends nearly all its time here: one table read for the class, one for the next
                // state; inside a word not even the second (a phrase that starts with a letter starts a word).
                if (word && lastWasWord)
                {
                    continue;
                }
                lastWasWord = word;
                state = rootNext[k];
                if (state == Root)
                {
                    lastWasSpace = k == space;
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
                state = Next(state, k);
            }
            lastWasSpace = k == space;
            var end = _outStart[state + 1];
            for (var o = _outStart[state]; o < end; o++)
            {
                var p = _outputs[o];
                var start = StartOf(text, i, _length[p]);
                if (Bounded(text, start, i + 1, _startsWord[p], _alphabetic[p] && !_prefix[p]))
                {
                    hits.Add(new PhraseHit(p, start, i + 1));
                }
            }
        }
        return hits.Count;
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

    private int Next(int state, ushort k)
    {
        while (state != Root)
        {
            var key = ((long)state << 16 | k) + 1;
            for (var slot = Slot(key); _edgeKeys[slot] != 0; slot = (slot + 1) & _edgeMask)
            {
                if (_edgeKeys[slot] == key)
                {
                    return _edgeNext[slot];
                }
            }
            state = _fail[state];
        }
        return _rootNext[k];
    }

    private int Slot(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 40) & _edgeMask;

    /// <summary>A phrase starting with a letter starts a word; an alphabetic one (without a wildcard) also ends one.</summary>
    private static bool Bounded(ReadOnlySpan<char> text, int start, int end, bool startsWord, bool endsWord) =>
        (!startsWord || start == 0 || !TextFold.IsWordChar(TextFold.Fold(text[start - 1])))
        && (!endsWord || end == text.Length || !TextFold.IsWordChar(TextFold.Fold(text[end])));
}
