using System.Numerics;

namespace Switchboard.Core.Speech;

/// <summary>
/// An Aho–Corasick automaton over small integer symbols (character classes for <see cref="PhraseMatcher"/>, word ids
/// for its word pass): a dense row for the root, where text with few hits spends nearly all its time, one
/// open-addressed table for every other edge, failure links, and each state's outputs (its own, then by suffix,
/// longest first) in one flat array.
/// </summary>
internal sealed class AhoCorasick
{
    public const int Root = 0;

    private readonly int[] _rootNext;      // symbol → state
    private readonly long[] _edgeKeys;     // (state << 32 | symbol) + 1, 0 = empty
    private readonly int[] _edgeNext;
    private readonly int _edgeMask;
    private readonly int _edgeShift;
    private readonly int[] _fail;
    private readonly int[] _outStart;      // state → first index in _outputs (state + 1 → end)
    private readonly int[] _outputs;

    private AhoCorasick(int symbols, Dictionary<(int State, int Symbol), int> edges, List<List<int>> own)
    {
        StateCount = own.Count;
        var children = new List<(int Symbol, int Next)>[own.Count];
        foreach (var ((state, symbol), next) in edges)
        {
            (children[state] ??= []).Add((symbol, next));
        }
        _rootNext = new int[symbols];
        _fail = new int[own.Count];
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, edges.Count * 2));
        _edgeKeys = new long[size];
        _edgeNext = new int[size];
        _edgeMask = size - 1;
        _edgeShift = 64 - BitOperations.Log2((uint)size);
        foreach (var ((state, symbol), next) in edges)
        {
            if (state == Root)
            {
                _rootNext[symbol] = next;
                continue;
            }
            var key = Key(state, symbol);
            var slot = Slot(key);
            while (_edgeKeys[slot] != 0)
            {
                slot = (slot + 1) & _edgeMask;
            }
            (_edgeKeys[slot], _edgeNext[slot]) = (key, next);
        }

        // Failure links breadth first, outputs merged along them.
        var outputs = new List<int>[own.Count];
        outputs[Root] = own[Root];
        var queue = new Queue<int>();
        foreach (var (_, next) in children[Root] ?? [])
        {
            queue.Enqueue(next);
        }
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            outputs[state] = [.. own[state], .. outputs[_fail[state]]];
            foreach (var (symbol, next) in children[state] ?? [])
            {
                _fail[next] = Next(_fail[state], symbol);
                queue.Enqueue(next);
            }
        }
        _outStart = new int[own.Count + 1];
        var flat = new List<int>();
        for (var s = 0; s < own.Count; s++)
        {
            _outStart[s] = flat.Count;
            flat.AddRange(outputs[s]);
        }
        _outStart[own.Count] = flat.Count;
        _outputs = [.. flat];
    }

    public int StateCount { get; }

    /// <summary>The root's row, for a caller's hot loop that stays at the root most of the time.</summary>
    public int[] RootNext => _rootNext;

    /// <summary>The longest proper suffix of the state's path that is also a path.</summary>
    public int Fail(int state) => _fail[state];

    /// <summary>Where <paramref name="symbol"/> leads from <paramref name="state"/>, failure links followed.</summary>
    public int Next(int state, int symbol)
    {
        while (state != Root)
        {
            var key = Key(state, symbol);
            for (var slot = Slot(key); _edgeKeys[slot] != 0; slot = (slot + 1) & _edgeMask)
            {
                if (_edgeKeys[slot] == key)
                {
                    return _edgeNext[slot];
                }
            }
            state = _fail[state];
        }
        return _rootNext[symbol];
    }

    /// <summary>What ends at the state: its own outputs, then its suffixes' (so the longest first).</summary>
    public ReadOnlySpan<int> Outputs(int state) => _outputs.AsSpan(_outStart[state], _outStart[state + 1] - _outStart[state]);

    private static long Key(int state, int symbol) => ((long)state << 32 | (uint)symbol) + 1;

    private int Slot(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> _edgeShift) & _edgeMask;

    /// <summary>Paths added one at a time (states numbered in insertion order), then <see cref="Build"/>.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<(int State, int Symbol), int> _edges = [];
        private readonly List<List<int>> _own = [[]];
        private int _symbols;

        /// <summary>Adds the path (creating its states) and returns the state it ends in; <paramref name="output"/>, if any, ends there.</summary>
        public int Add(ReadOnlySpan<int> symbols, int? output)
        {
            var state = Root;
            foreach (var symbol in symbols)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(symbol);
                _symbols = Math.Max(_symbols, symbol + 1);
                if (!_edges.TryGetValue((state, symbol), out var next))
                {
                    _edges[(state, symbol)] = next = _own.Count;
                    _own.Add([]);
                }
                state = next;
            }
            if (output is { } o)
            {
                _own[state].Add(o);
            }
            return state;
        }

        /// <param name="symbols">At least one more than the largest symbol the text can bring (the root's row is that long).</param>
        public AhoCorasick Build(int symbols) => new(Math.Max(symbols, _symbols), _edges, _own);
    }
}
