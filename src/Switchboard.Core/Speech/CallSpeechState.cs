using System.Globalization;
using Switchboard.Core.WrapUp;

namespace Switchboard.Core.Speech;

/// <summary>
/// What one call has said so far, as a rule set sees it: which conditions were heard (and on which words), the
/// speakers' smoothed sentiment, silences, interruptions, and how often each rule fired. One per call, used by one
/// caller at a time; made by <see cref="SpeechRuleSet.Start"/>.
/// </summary>
public sealed class CallSpeechState
{
    /// <summary>How much of a new segment's score enters the smoothed trend (an exponential moving average).</summary>
    public const double Smoothing = 0.5;

    private readonly ConditionState[][] _conditions;
    private readonly int[] _fired;
    private readonly double?[] _trend = new double?[3];     // by SpeakerFilter: either, customer, agent
    private readonly int[] _interruptions = new int[3];
    private readonly int[] _lastEnd = [-1, -1, -1];
    private readonly int[] _lastStart = [-1, -1, -1];
    private readonly (int Rule, int Condition)[] _watched;  // sentiment, silence and interruption conditions
    private int _latestEnd = -1;
    private int _latestStart;

    internal CallSpeechState(SpeechRuleSet rules, IReadOnlyDictionary<string, object> facts)
    {
        Rules = rules;
        Facts = facts;
        _conditions = rules.Rules.Select(r => new ConditionState[r.When.Count]).ToArray();
        foreach (var states in _conditions)
        {
            for (var c = 0; c < states.Length; c++)
            {
                states[c] = new ConditionState { BelowSince = -1 };
            }
        }
        _fired = new int[rules.Rules.Count];
        _watched = rules.Rules.SelectMany((r, i) => r.When.Select((c, j) => (c, i, j)))
            .Where(x => x.c.Kind is ConditionKind.Sentiment or ConditionKind.Silence or ConditionKind.Interruptions)
            .Select(x => (x.i, x.j)).ToArray();
    }

    public SpeechRuleSet Rules { get; }

    /// <summary>The call's and customer's facts (<see cref="Routing.CallFacts.Parameters"/>); may be refreshed during the call.</summary>
    public IReadOnlyDictionary<string, object> Facts { get; set; }

    /// <summary>The smoothed sentiment of the customer, the agent, and the whole conversation (null before anyone spoke).</summary>
    public (double? Customer, double? Agent, double? Overall) Trend => (_trend[1], _trend[2], _trend[0]);

    internal int? EndMs { get; set; }

    internal List<PhraseHit> Hits { get; } = [];

    internal HashSet<int> Touched { get; } = [];

    internal List<(int Rule, int Condition, int Word, int Start, string Said)> NearHits { get; } = [];

    /// <summary>How many times a rule fired in this call.</summary>
    public int Fired(int rule) => _fired[rule];

    /// <summary>Takes in a segment's timing and sentiment, before its words.</summary>
    internal void Observe(SpeechSegment segment)
    {
        var who = segment.Speaker == Speaker.Customer ? 1 : 2;
        var other = 3 - who;
        var gap = _latestEnd < 0 ? 0 : segment.StartMs - _latestEnd;
        // Starting while the other speaker is still talking (and after they began) is an interruption.
        var interrupted = _lastEnd[other] > segment.StartMs && _lastStart[other] < segment.StartMs;
        if (interrupted)
        {
            _interruptions[who]++;
            _interruptions[0]++;
        }
        foreach (var i in new[] { 0, who })
        {
            _trend[i] = _trend[i] is { } previous ? Smoothing * segment.Sentiment + (1 - Smoothing) * previous : segment.Sentiment;
            _lastEnd[i] = Math.Max(_lastEnd[i], segment.EndMs);
            _lastStart[i] = Math.Max(_lastStart[i], segment.StartMs);
        }
        _latestEnd = Math.Max(_latestEnd, segment.EndMs);
        _latestStart = Math.Max(_latestStart, segment.StartMs);
        foreach (var (r, c) in _watched)
        {
            var condition = Rules.Rules[r].When[c];
            ref var state = ref _conditions[r][c];
            switch (condition.Kind)
            {
                case ConditionKind.Sentiment when condition.Hears(segment.Speaker):
                    var trend = _trend[(int)condition.By]!.Value;
                    state.BelowSince = trend < condition.Below ? state.BelowSince < 0 ? segment.StartMs : state.BelowSince : -1;
                    break;
                case ConditionKind.Silence when gap > condition.SilenceMs && (condition.FirstMs is not { } first || segment.StartMs < first):
                    Heard(r, c, segment.StartMs, string.Create(CultureInfo.InvariantCulture, $"silence {gap / 1000.0:0.0} s"));
                    break;
            }
        }
    }

    /// <summary>A said, near or silence condition was met at <paramref name="atMs"/> on <paramref name="evidence"/>.</summary>
    internal void Heard(int rule, int condition, int atMs, string evidence)
    {
        ref var state = ref _conditions[rule][condition];
        state.Heard = true;
        state.LastHeardMs = Math.Max(state.LastHeardMs, atMs);
        state.Evidence ??= evidence;
    }

    internal void TryFire(int r, int atMs, bool atEnd, List<SpeechFiring> fired)
    {
        var rule = Rules.Rules[r];
        if (_fired[r] >= rule.MaxPerCall)
        {
            return;
        }
        for (var c = 0; c < rule.When.Count; c++)
        {
            if (!Holds(rule.When[c], ref _conditions[r][c], atEnd))
            {
                return;
            }
        }
        var evidence = new List<string>();
        for (var c = 0; c < rule.When.Count; c++)
        {
            var condition = rule.When[c];
            ref var state = ref _conditions[r][c];
            evidence.Add(condition.Kind switch
            {
                ConditionKind.Said or ConditionKind.Near or ConditionKind.Silence => state.Evidence!,
                ConditionKind.NotSaid => "not said: " + string.Join(", ", condition.Words),
                ConditionKind.Sentiment => string.Create(CultureInfo.InvariantCulture,
                    $"sentiment {_trend[(int)condition.By]:0.00} for {(_lastEnd[(int)condition.By] - state.BelowSince) / 1000.0:0} s"),
                ConditionKind.Interruptions => $"{_interruptions[(int)condition.By] - state.Baseline} interruptions",
                _ => condition.Facts!.Text,
            });
            // A rule that fires again needs new evidence: words said again, another run below the threshold, more interruptions.
            state.Heard = false;
            state.Evidence = null;
            state.Spent = condition.Kind == ConditionKind.NotSaid;
            state.Baseline = _interruptions[(int)condition.By];
            if (state.BelowSince >= 0)
            {
                state.BelowSince = _lastEnd[(int)condition.By];
            }
        }
        _fired[r]++;
        fired.Add(new SpeechFiring(rule, atMs, evidence));
    }

    private bool Holds(SpeechCondition condition, ref ConditionState state, bool atEnd)
    {
        var lastFrom = EndMs - condition.LastMs;
        return condition.Kind switch
        {
            ConditionKind.Said or ConditionKind.Near => condition.LastMs is null ? state.Heard : atEnd && state.Heard && state.LastHeardMs >= lastFrom,
            ConditionKind.NotSaid => !state.Spent && (condition.FirstMs is { } first
                ? !state.Heard && (atEnd || _latestStart >= first)
                : atEnd && !(state.Heard && (condition.LastMs is null || state.LastHeardMs >= lastFrom))),
            ConditionKind.Silence => state.Heard,
            ConditionKind.Sentiment => state.BelowSince >= 0 && _lastEnd[(int)condition.By] - state.BelowSince >= condition.ForMs,
            ConditionKind.Interruptions => _interruptions[(int)condition.By] - state.Baseline >= condition.Interruptions,
            ConditionKind.Facts => condition.Facts!.Evaluate(Facts),
            _ => false,
        };
    }

    private struct ConditionState
    {
        public bool Heard;
        public bool Spent;
        public int LastHeardMs;
        public string? Evidence;
        public int BelowSince;
        public int Baseline;
    }
}
