using Switchboard.Core.Common;
using Switchboard.Core.Routing;
using Switchboard.Core.WrapUp;

namespace Switchboard.Core.Speech;

/// <summary>Who a condition listens to.</summary>
public enum SpeakerFilter { Either, Customer, Agent }

/// <summary>What a condition tests.</summary>
public enum ConditionKind { Said, NotSaid, Near, Sentiment, Silence, Interruptions, Facts }

/// <summary>What an action does.</summary>
public enum SpeechActionType { Script, Warning, AlertSupervisor, Escalate, Tag }

/// <summary>A checked condition. Times in milliseconds from the start of the call.</summary>
public sealed record SpeechCondition(
    ConditionKind Kind, SpeakerFilter By, int? FirstMs, int? LastMs, IReadOnlyList<string> Words, int Within,
    double Below, int ForMs, int SilenceMs, int Interruptions, RuleCondition? Facts)
{
    public bool Hears(Speaker speaker) => By == SpeakerFilter.Either || (By == SpeakerFilter.Customer) == (speaker == Speaker.Customer);
}

/// <summary>A checked action.</summary>
public sealed record SpeechAction(SpeechActionType Type, string? Title, string? Body, string? Group, bool PerformTransfer, string? Tag);

/// <summary>A checked rule.</summary>
public sealed record SpeechRule(string Id, string Name, IReadOnlyList<SpeechCondition> When, IReadOnlyList<SpeechAction> Actions, int MaxPerCall);

/// <summary>One segment as the rules see it (times from the start of the call); its sentiment on −1…1 (<see cref="ISentimentScorer"/>).</summary>
public readonly record struct SpeechSegment(Speaker Speaker, int StartMs, int EndMs, string Text, double Sentiment);

/// <summary>
/// A rule fired: when, and its evidence: the words said that triggered it (as said), and the other conditions in words
/// ("sentiment −0.62 for 24 s").
/// </summary>
public sealed record SpeechFiring(SpeechRule Rule, int AtMs, IReadOnlyList<string> Evidence);

/// <summary>
/// A rule set ready to run: every phrase of every rule in one <see cref="PhraseMatcher"/>, and for each phrase the
/// conditions it serves, so a segment costs one pass over its text plus the rules it hit (and the few rules that watch
/// time, sentiment or silence) — never one pass per rule. Pure: the per-call state is a <see cref="CallSpeechState"/>.
/// </summary>
public sealed class SpeechRuleSet
{
    public const int MaxRules = 2_000;
    public const int MaxPhrases = 100_000;

    private readonly PhraseMatcher _matcher;
    private readonly (int Rule, int Condition, int Word)[][] _served; // phrase → conditions (Word: index within a near-condition)
    private readonly int[] _watchers;                                 // rules evaluated on every segment
    private readonly IWordSegmenter _segmenter;
    private readonly bool[] _cjk;
    private const int Context = 6;

    private SpeechRuleSet(IReadOnlyList<SpeechRule> rules, List<Phrase> phrases, List<(int, int, int)>[] served, IWordSegmenter segmenter)
    {
        Rules = rules;
        _matcher = new PhraseMatcher(phrases);
        _served = served.Select(s => s.ToArray()).ToArray();
        _segmenter = segmenter;
        _cjk = phrases.Select(p => p.Text.Any(TextFold.IsCjk)).ToArray();
        _watchers = rules.Select((r, i) => (r, i))
            .Where(x => x.r.When.Any(c => c.Kind is not (ConditionKind.Said or ConditionKind.Near) || c.LastMs is not null))
            .Select(x => x.i).ToArray();
    }

    public IReadOnlyList<SpeechRule> Rules { get; }

    /// <summary>The one automaton over every phrase (the benchmarks time it alone too).</summary>
    internal PhraseMatcher Matcher => _matcher;

    /// <summary>The automaton's size (for the benchmarks' record).</summary>
    public int States => _matcher.StateCount;

    /// <summary>Checks a document and builds the rule set, naming every problem by field (<c>rules[3].when[0].said[2]</c>).</summary>
    /// <param name="document">The rules as written.</param>
    /// <param name="segmenter">Cuts Chinese text into words.</param>
    /// <param name="learn">Whether the segmenter learns the rules' unknown Chinese phrases (rules to run: yes; a dry run: no, it changes nothing).</param>
    public static Result<SpeechRuleSet> Compile(SpeechRuleSetDocument? document, IWordSegmenter segmenter, bool learn = true)
    {
        var errors = new ValidationErrors();
        var documents = document?.Rules ?? [];
        if (documents.Count > MaxRules)
        {
            return Error.Validation("rules", $"must hold at most {MaxRules:N0} rules.");
        }
        var rules = new List<SpeechRule>();
        var phrases = new List<Phrase>();
        var served = new List<List<(int, int, int)>>();
        var index = new Dictionary<Phrase, int>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Serve(Phrase phrase, int rule, int condition, int word)
        {
            if (!index.TryGetValue(phrase, out var p))
            {
                index[phrase] = p = phrases.Count;
                phrases.Add(phrase);
                served.Add([]);
            }
            served[p].Add((rule, condition, word));
        }
        for (var r = 0; r < documents.Count; r++)
        {
            var doc = documents[r];
            var at = $"rules[{r}]";
            if (doc is null)
            {
                errors.Add(at, "must be a rule.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(doc.Id) || doc.Id.Length > Persistence.Limits.Code || !doc.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add(at + ".id", $"must be 1 to {Persistence.Limits.Code} letters, digits, - or _.");
            }
            else if (!ids.Add(doc.Id))
            {
                errors.Add(at + ".id", $"'{doc.Id}' is used by an earlier rule.");
            }
            errors.Required(at + ".name", doc.Name, Persistence.Limits.Name);
            if (doc.MaxPerCall is < 1 or > 100)
            {
                errors.Add(at + ".maxPerCall", "must be 1 to 100.");
            }
            var when = doc.When ?? [];
            if (when.Count is 0 or > 10)
            {
                errors.Add(at + ".when", "must hold 1 to 10 conditions.");
            }
            if (when.Count > 0 && when.All(c => c?.Facts is not null))
            {
                errors.Add(at + ".when", "must test the conversation (said, notSaid, near, sentiment, silence or interruptions), not only facts.");
            }
            var conditions = new List<SpeechCondition>();
            var ruleIndex = rules.Count;
            for (var c = 0; c < Math.Min(when.Count, 10); c++)
            {
                if (when[c] is null)
                {
                    errors.Add($"{at}.when[{c}]", "must be a condition.");
                    continue;
                }
                var condition = Condition(when[c], $"{at}.when[{c}]", errors, (phrase, word) => Serve(phrase, ruleIndex, conditions.Count, word));
                if (condition is not null)
                {
                    conditions.Add(condition);
                }
            }
            var actions = new List<SpeechAction>();
            var actionDocuments = doc.Actions ?? [];
            if (actionDocuments.Count is 0 or > 5)
            {
                errors.Add(at + ".actions", "must hold 1 to 5 actions.");
            }
            for (var a = 0; a < Math.Min(actionDocuments.Count, 5); a++)
            {
                if (actionDocuments[a] is null)
                {
                    errors.Add($"{at}.actions[{a}]", "must be an action.");
                    continue;
                }
                if (Action(actionDocuments[a], $"{at}.actions[{a}]", errors) is { } action)
                {
                    actions.Add(action);
                }
            }
            if (phrases.Count > MaxPhrases)
            {
                return Error.Validation("rules", $"hold more than {MaxPhrases:N0} phrases with their inflections.");
            }
            if (doc.Enabled == false)
            {
                // Checked like the others, kept in the document, never run: its phrases serve nothing.
                foreach (var list in served)
                {
                    list.RemoveAll(s => s.Item1 == ruleIndex);
                }
                continue;
            }
            rules.Add(new SpeechRule(doc.Id ?? "", doc.Name ?? "", conditions, actions, doc.MaxPerCall ?? 1));
        }
        if (phrases.SelectMany(p => p.Text).Distinct().Count() > PhraseMatcher.MaxCharacters)
        {
            errors.Add("rules", $"use more than {PhraseMatcher.MaxCharacters:N0} different characters in their phrases.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        if (learn)
        {
            segmenter.Learn(phrases.Where(p => p.Text.Any(TextFold.IsCjk)).Select(p => p.Text));
        }
        return new SpeechRuleSet(rules, phrases, served.ToArray(), segmenter);
    }

    private static SpeechCondition? Condition(SpeechConditionDocument doc, string at, ValidationErrors errors, Action<Phrase, int> serve)
    {
        var kinds = new (ConditionKind Kind, bool Given)[]
        {
            (ConditionKind.Said, doc.Said is not null), (ConditionKind.NotSaid, doc.NotSaid is not null), (ConditionKind.Near, doc.Near is not null),
            (ConditionKind.Sentiment, doc.Sentiment is not null), (ConditionKind.Silence, doc.Silence is not null),
            (ConditionKind.Interruptions, doc.Interruptions is not null), (ConditionKind.Facts, doc.Facts is not null),
        }.Where(k => k.Given).ToList();
        if (kinds.Count != 1)
        {
            errors.Add(at, "must have exactly one of said, notSaid, near, sentiment, silence, interruptions or facts.");
            return null;
        }
        var kind = kinds[0].Kind;
        var by = doc.By switch
        {
            null or "either" => SpeakerFilter.Either,
            "customer" => SpeakerFilter.Customer,
            "agent" => SpeakerFilter.Agent,
            _ => (SpeakerFilter?)null,
        };
        if (by is null)
        {
            errors.Add(at + ".by", "must be customer, agent or either.");
        }
        if (doc.First is not null && doc.Last is not null)
        {
            errors.Add(at, "may have first or last, not both.");
        }
        if (doc.First is < 1 or > 86_400 || doc.Last is < 1 or > 86_400)
        {
            errors.Add(at + (doc.First is not null ? ".first" : ".last"), "must be 1 to 86,400 seconds.");
        }
        var words = new List<string>();
        var within = 0;
        var (below, forMs, silence, interruptions) = (0d, 0, 0, 0);
        RuleCondition? facts = null;
        switch (kind)
        {
            case ConditionKind.Said or ConditionKind.NotSaid or ConditionKind.Near:
                var name = kind switch { ConditionKind.Said => "said", ConditionKind.NotSaid => "notSaid", _ => "near" };
                var list = doc.Said ?? doc.NotSaid ?? doc.Near!;
                if (list.Count is 0 or > 200 || kind == ConditionKind.Near && list.Count is < 2 or > 5)
                {
                    errors.Add($"{at}.{name}", kind == ConditionKind.Near ? "must list 2 to 5 words." : "must list 1 to 200 phrases.");
                    break;
                }
                for (var w = 0; w < list.Count; w++)
                {
                    var (expanded, error) = PhraseSyntax.Expand(list[w]);
                    if (error is not null)
                    {
                        errors.Add($"{at}.{name}[{w}]", error);
                        continue;
                    }
                    words.Add(list[w].Trim());
                    foreach (var phrase in expanded)
                    {
                        serve(phrase, kind == ConditionKind.Near ? w : 0);
                    }
                }
                within = doc.Within ?? 5;
                if (kind == ConditionKind.Near && within is < 1 or > 50)
                {
                    errors.Add(at + ".within", "must be 1 to 50 words.");
                }
                if (kind != ConditionKind.Near && doc.Within is not null)
                {
                    errors.Add(at + ".within", "belongs to near.");
                }
                break;
            case ConditionKind.Sentiment:
                if (doc.Sentiment!.Below is not (>= -1 and <= 1))
                {
                    errors.Add(at + ".sentiment.below", "is required: a score from -1 to 1.");
                }
                if (doc.Sentiment.ForSeconds is not (>= 0 and <= 3_600))
                {
                    errors.Add(at + ".sentiment.forSeconds", "is required: 0 to 3,600 seconds.");
                }
                (below, forMs) = (doc.Sentiment.Below ?? 0, (doc.Sentiment.ForSeconds ?? 0) * 1000);
                break;
            case ConditionKind.Silence:
                if (doc.Silence is not (>= 500 and <= 600_000))
                {
                    errors.Add(at + ".silence", "must be 500 to 600,000 milliseconds.");
                }
                silence = doc.Silence ?? 0;
                break;
            case ConditionKind.Interruptions:
                if (doc.Interruptions is not (>= 1 and <= 1_000))
                {
                    errors.Add(at + ".interruptions", "must be 1 to 1,000.");
                }
                interruptions = doc.Interruptions ?? 0;
                break;
            case ConditionKind.Facts:
                var parsed = RuleCondition.Parse(doc.Facts!, at + ".facts", CallFacts.Sample);
                if (parsed.Error is { Fields: { } fields })
                {
                    foreach (var (key, reasons) in fields)
                    {
                        Array.ForEach(reasons, reason => errors.Add(key, reason));
                    }
                }
                else
                {
                    facts = parsed.Value;
                }
                if (doc.By is not null || doc.First is not null || doc.Last is not null)
                {
                    errors.Add(at, "facts take no by, first or last.");
                }
                break;
        }
        return new SpeechCondition(kind, by ?? SpeakerFilter.Either, doc.First * 1000, doc.Last * 1000, words, within, below, forMs, silence, interruptions, facts);
    }

    private static SpeechAction? Action(SpeechActionDocument doc, string at, ValidationErrors errors)
    {
        SpeechActionType? type = doc.Type switch
        {
            "script" => SpeechActionType.Script,
            "warning" => SpeechActionType.Warning,
            "alertSupervisor" => SpeechActionType.AlertSupervisor,
            "escalate" => SpeechActionType.Escalate,
            "tag" => SpeechActionType.Tag,
            _ => null,
        };
        switch (type)
        {
            case null:
                errors.Add(at + ".type", "must be script, warning, alertSupervisor, escalate or tag.");
                return null;
            case SpeechActionType.Script or SpeechActionType.Warning:
                errors.Required(at + ".title", doc.Title, 120);
                errors.Required(at + ".body", doc.Body, 2_000);
                break;
            case SpeechActionType.AlertSupervisor:
                errors.Required(at + ".body", doc.Body, 500);
                break;
            case SpeechActionType.Escalate:
                errors.Required(at + ".group", doc.Group, Persistence.Limits.Code);
                if (doc.Transfer is not (null or "suggest" or "perform"))
                {
                    errors.Add(at + ".transfer", "must be suggest or perform.");
                }
                break;
            case SpeechActionType.Tag:
                errors.Required(at + ".tag", doc.Tag, Persistence.Limits.Tag);
                break;
        }
        return new SpeechAction(type.Value, doc.Title, doc.Body, doc.Group, doc.Transfer == "perform", doc.Tag);
    }

    /// <summary>A call's state for this rule set, with the call's and customer's facts (<see cref="CallFacts.Parameters"/>).</summary>
    public CallSpeechState Start(IReadOnlyDictionary<string, object>? facts = null) => new(this, facts ?? CallFacts.Sample);

    /// <summary>Runs the rules over one final segment; returns the rules that fired on it.</summary>
    public IReadOnlyList<SpeechFiring> Hear(CallSpeechState call, SpeechSegment segment)
    {
        if (call.Rules != this)
        {
            throw new ArgumentException("The call's state belongs to another rule set.", nameof(call));
        }
        call.Observe(segment);
        var hits = call.Hits;
        _matcher.Find(segment.Text, hits);
        var touched = call.Touched;
        touched.Clear();
        if (hits.Count > 0)
        {
            IReadOnlyList<Range>? words = null;
            var near = call.NearHits;
            near.Clear();
            foreach (var hit in hits)
            {
                // Only a hit some rule still listens for counts (a rule that fired its last time, or hears the other
                // speaker, or whose window is over, does not); a Chinese hit is then checked against the words.
                var served = _served[hit.Phrase];
                var live = false;
                foreach (var (r, c, _) in served)
                {
                    live |= Listens(call, r, c, segment);
                }
                if (!live || _cjk[hit.Phrase] && !OnWordBoundaries(hit, segment.Text))
                {
                    continue;
                }
                foreach (var (r, c, w) in served)
                {
                    if (!Listens(call, r, c, segment))
                    {
                        continue;
                    }
                    var said = segment.Text[hit.Start..hit.End];
                    if (Rules[r].When[c].Kind == ConditionKind.Near)
                    {
                        near.Add((r, c, w, hit.Start, said));
                    }
                    else
                    {
                        call.Heard(r, c, segment.EndMs, said);
                    }
                    touched.Add(r);
                }
            }
            // Words are counted only where one near-condition heard two of its words in this segment (rare).
            if (near.Count > 1 && near.GroupBy(n => (n.Rule, n.Condition)).Any(g => g.Select(n => n.Word).Distinct().Count() > 1))
            {
                NearMatches(call, segment, near, words ??= _segmenter.DictionaryWords(segment.Text));
            }
        }
        var fired = new List<SpeechFiring>();
        foreach (var r in touched)
        {
            call.TryFire(r, segment.EndMs, atEnd: false, fired);
        }
        foreach (var r in _watchers)
        {
            if (!touched.Contains(r))
            {
                call.TryFire(r, segment.EndMs, atEnd: false, fired);
            }
        }
        return fired;
    }

    /// <summary>The call ended at <paramref name="endMs"/>: rules that wait for the end (notSaid, last N seconds) are decided.</summary>
    public IReadOnlyList<SpeechFiring> End(CallSpeechState call, int endMs)
    {
        call.EndMs = endMs;
        var fired = new List<SpeechFiring>();
        foreach (var r in _watchers)
        {
            call.TryFire(r, endMs, atEnd: true, fired);
        }
        return fired;
    }

    private bool Listens(CallSpeechState call, int r, int c, SpeechSegment segment)
    {
        var condition = Rules[r].When[c];
        return call.Fired(r) < Rules[r].MaxPerCall && condition.Hears(segment.Speaker) && (condition.FirstMs is not { } first || segment.StartMs < first);
    }

    /// <summary>A Chinese phrase counts where it starts a word and ends one (a wildcard phrase only starts one): 取消 is not in 取消费.</summary>
    private bool OnWordBoundaries(PhraseHit hit, string text)
    {
        // The words around this very hit (a block cut for another hit may end right at this one's edge, which is no boundary).
        var block = Block(text, hit);
        bool starts = false, ends = _matcher.Phrases[hit.Phrase].Prefix;
        foreach (var word in block.Words)
        {
            starts |= word.Start.Value + block.Start == hit.Start;
            ends |= word.End.Value + block.Start == hit.End;
        }
        return starts && ends;
    }

    /// <summary>
    /// The words around a hit: jieba cuts a text into blocks of Han characters, letters, digits and <c>+#&amp;._%-</c>
    /// first and each block on its own, so only the hit's block matters; of a long block, <see cref="Context"/>
    /// characters either side (a word that could join the hit's first or last character is never longer; jieba's cost
    /// grows with the length it cuts, about 2 µs a character).
    /// </summary>
    private (int Start, int End, IReadOnlyList<Range> Words) Block(string text, PhraseHit hit)
    {
        static bool InBlock(char c) => c is >= '\u4E00' and <= '\u9FD5' || char.IsAsciiLetterOrDigit(c) || c is '+' or '#' or '&' or '.' or '_' or '%' or '-'
            || TextFold.Fold(c) is var f && f != c && (f is >= '\u4E00' and <= '\u9FD5' || char.IsAsciiLetterOrDigit(f));
        var start = hit.Start;
        while (start > 0 && InBlock(text[start - 1]) && hit.Start - start < Context)
        {
            start--;
        }
        var end = hit.End;
        while (end < text.Length && InBlock(text[end]) && end - hit.End < Context)
        {
            end++;
        }
        return (start, end, _segmenter.DictionaryWords(text[start..end]));
    }

    private static void NearMatches(CallSpeechState call, SpeechSegment segment, List<(int Rule, int Condition, int Word, int Start, string Said)> near, IReadOnlyList<Range> words)
    {
        int WordIndex(int start)
        {
            for (var i = 0; i < words.Count; i++)
            {
                if (words[i].End.Value > start)
                {
                    return i;
                }
            }
            return words.Count;
        }
        foreach (var group in near.GroupBy(n => (n.Rule, n.Condition)))
        {
            var condition = call.Rules.Rules[group.Key.Rule].When[group.Key.Condition];
            var byWord = group.GroupBy(n => n.Word).ToDictionary(g => g.Key, g => g.Select(n => (Index: WordIndex(n.Start), n.Said)).ToList());
            if (byWord.Count < condition.Words.Count)
            {
                continue;
            }
            // Some choice of one occurrence per word spans at most Within words: slide over the occurrences in order.
            var all = byWord.SelectMany(kv => kv.Value.Select(o => (o.Index, o.Said, Word: kv.Key))).OrderBy(o => o.Index).ToList();
            for (var i = 0; i < all.Count; i++)
            {
                var seen = new Dictionary<int, string>();
                for (var j = i; j < all.Count && all[j].Index - all[i].Index <= condition.Within; j++)
                {
                    seen.TryAdd(all[j].Word, all[j].Said);
                }
                if (seen.Count == condition.Words.Count)
                {
                    call.Heard(group.Key.Rule, group.Key.Condition, segment.EndMs, string.Join(" … ", seen.OrderBy(s => s.Key).Select(s => s.Value)));
                    break;
                }
            }
        }
    }
}
