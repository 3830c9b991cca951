using CsCheck;
using Switchboard.Core.Routing;
using Switchboard.Core.Speech;
using Switchboard.Core.WrapUp;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Speech;

/// <summary>Rule semantics, table-driven in English and Chinese (docs/speech.md).</summary>
public sealed class SpeechRuleTests
{
    private const Speaker C = Speaker.Customer;
    private const Speaker A = Speaker.Agent;

    internal static SpeechRuleSet Rules(params SpeechConditionDocument[] when) =>
        SpeechRuleSet.Compile(new SpeechRuleSetDocument([new("r", "rule", when, [new("tag", Tag: "t")])]), JiebaWordSegmenter.Instance).Value;

    /// <summary>Runs the segments (speaker, start s, text, sentiment) and returns the evidence of every firing, the end included when given.</summary>
    private static List<string> Run(SpeechRuleSet rules, IEnumerable<(Speaker Who, double At, string Text, double Sentiment)> segments, double? endAt = null,
        CallFacts? facts = null)
    {
        var call = rules.Start(facts?.Parameters());
        var fired = new List<string>();
        foreach (var (who, at, text, sentiment) in segments)
        {
            var start = (int)(at * 1000);
            fired.AddRange(rules.Hear(call, new SpeechSegment(who, start, start + 2_000, text, sentiment)).Select(f => string.Join(" | ", f.Evidence)));
        }
        if (endAt is { } end)
        {
            fired.AddRange(rules.End(call, (int)(end * 1000)).Select(f => string.Join(" | ", f.Evidence)));
        }
        return fired;
    }

    private static List<string> Said(string phrase, Speaker who, string text, string? by = null) =>
        Run(Rules(new SpeechConditionDocument(Said: [phrase], By: by)), [(who, 0, text, 0)]);

    public static TheoryData<string, string, string?> Matches => new()
    {
        // phrase, text, the words that fire it (null: it does not fire)
        { "cancel", "I want to cancel my account", "cancel" },
        { "cancel", "I already CANCELLED it last week", "CANCELLED" },
        { "cancel", "she cancels every month", "cancels" },
        { "cancel", "what is the cancellation fee", null },
        { "cancel*", "what is the cancellation fee", "cancel" },
        { "cancel", "the precancel option", null },
        { "=cancel", "I cancelled it", null },
        { "cancel my account", "please cancel,   my account now", "cancel,   my account" },
        { "complaint", "two complaints already", "complaints" },
        { "reply", "nobody replied to me", "replied" },
        { "charge", "you keep charging me", "charging" },
        { "cancel", "ｃａｎｃｅｌ ｉｔ", "ｃａｎｃｅｌ" },
        { "don't", "I don’t like this", "don’t" },
        { "投诉", "我要投诉你们", "投诉" },
        { "投诉", "我要投訴你們的服務", "投訴" },
        { "银保监会", "我要投诉到银保监会，", "银保监会" },
        { "律师", "我已经请了律师", "律师" },
        { "律师", "我会发律师函给你们", null },
        { "律师*", "我会发律师函给你们", "律师" },
        { "取消", "我想取消这个套餐", "取消" },
        { "优品汇", "我在优品汇买过，比你们便宜", "优品汇" },
        { "APP", "你们的app登不上", "app" },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void APhrase_MatchesWholeWordsFoldedAndInflected_InBothLanguages(string phrase, string text, string? said)
    {
        var fired = Said(phrase, C, text);
        Assert.Equal(said is null ? [] : [said], fired);
    }

    [Fact]
    public void ASpeakerFilter_HearsOnlyThatSpeaker()
    {
        Assert.Empty(Said("cancel", A, "you can cancel online", by: "customer"));
        Assert.Single(Said("cancel", C, "I will cancel", by: "customer"));
        Assert.Single(Said("cancel", A, "you can cancel online", by: "agent"));
        Assert.Single(Said("cancel", A, "you can cancel online", by: "either"));
    }

    [Fact]
    public void AFirstWindow_OnlyCountsSegmentsStartingInIt()
    {
        var rules = Rules(new SpeechConditionDocument(Said: ["hello"], First: 10));
        Assert.Single(Run(rules, [(A, 2, "hello there", 0)]));
        Assert.Empty(Run(rules, [(A, 12, "hello there", 0)]));
    }

    [Fact]
    public void NotSaid_InTheFirstSeconds_FiresWhenTheWindowCloses_NotBefore_AndNotWhenSaid()
    {
        var rules = Rules(new SpeechConditionDocument(NotSaid: ["感谢来电", "thank you for calling"], By: "agent", First: 15));
        var call = rules.Start();
        Assert.Empty(rules.Hear(call, new SpeechSegment(A, 1_000, 3_000, "你好，请讲", 0)));
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 8_000, 12_000, "我的卡丢了", 0)));
        var fired = rules.Hear(call, new SpeechSegment(A, 16_000, 18_000, "好的我帮您查", 0));
        Assert.Equal("not said: 感谢来电, thank you for calling", Assert.Single(Assert.Single(fired).Evidence));
        Assert.Empty(rules.Hear(call, new SpeechSegment(A, 20_000, 22_000, "还有别的吗", 0))); // once per call
        Assert.Empty(rules.End(call, 30_000));

        Assert.Empty(Run(rules, [(A, 1, "感謝來電，请问有什么可以帮您", 0), (C, 20, "嗯", 0)], endAt: 30));
    }

    [Fact]
    public void NotSaid_WithoutAWindow_IsDecidedAtTheEnd()
    {
        var rules = Rules(new SpeechConditionDocument(NotSaid: ["anything else"], By: "agent"));
        Assert.Equal(["not said: anything else"], Run(rules, [(A, 1, "goodbye", 0)], endAt: 60));
        Assert.Empty(Run(rules, [(A, 1, "is there anything else I can do", 0)], endAt: 60));
    }

    [Fact]
    public void ALastWindow_IsDecidedAtTheEnd_OnTheLastSeconds()
    {
        var rules = Rules(new SpeechConditionDocument(Said: ["cancel"], By: "customer", Last: 30));
        Assert.Empty(Run(rules, [(C, 5, "cancel it", 0)], endAt: 100));
        Assert.Single(Run(rules, [(C, 80, "cancel it", 0)], endAt: 100));
    }

    [Theory]
    [InlineData("I want to cancel the whole contract", true)]
    [InlineData("the contract says I can cancel", true)]
    [InlineData("cancel the order and then later we talk about the contract", false)]
    [InlineData("我想提前解除这份合同", true)]
    [InlineData("合同", false)]
    public void Near_NeedsAllWords_WithinNWordsOfEachOther_InOneSegment(string text, bool fires)
    {
        var rules = Rules(new SpeechConditionDocument(Near: ["cancel", "contract"], Within: 3), new SpeechConditionDocument(Said: ["x-never-said"]));
        var english = SpeechRuleSet.Compile(new SpeechRuleSetDocument([
            new("n", "near", [new(Near: ["cancel", "contract"], Within: 4)], [new("tag", Tag: "t")]),
            new("z", "near zh", [new(Near: ["解除", "合同"], Within: 3)], [new("tag", Tag: "t")]),
        ]), JiebaWordSegmenter.Instance).Value;
        Assert.Empty(Run(rules, [(C, 0, text, 0)])); // the second condition never holds
        Assert.Equal(fires, Run(english, [(C, 0, text, 0)]).Count == 1);
    }

    [Fact]
    public void Sentiment_BelowAThreshold_ForNSeconds_Fires_AndAgainOnlyAfterANewRun()
    {
        var rules = SpeechRuleSet.Compile(new SpeechRuleSetDocument([
            new("angry", "angry", [new(Sentiment: new(-0.4, 20), By: "customer")], [new("escalate", Group: "senior")], MaxPerCall: 2),
        ]), JiebaWordSegmenter.Instance).Value;
        var call = rules.Start();
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 0, 5_000, "", -0.9)));
        Assert.Empty(rules.Hear(call, new SpeechSegment(A, 5_000, 8_000, "", 0.5))); // the agent's mood is not the customer's
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 10_000, 15_000, "", -0.8)));
        var fired = Assert.Single(rules.Hear(call, new SpeechSegment(C, 17_000, 22_000, "", -0.7)));
        Assert.StartsWith("sentiment -0.7", fired.Evidence[0]);
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 23_000, 26_000, "", -0.9)));  // a new run begins at the firing
        Assert.Single(rules.Hear(call, new SpeechSegment(C, 40_000, 45_000, "", -0.9)));
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 80_000, 95_000, "", -0.9)));  // at most twice
    }

    [Fact]
    public void Sentiment_ThatRecovers_StartsItsRunAgain()
    {
        var rules = Rules(new SpeechConditionDocument(Sentiment: new(-0.3, 10), By: "customer"));
        Assert.Empty(Run(rules, [(C, 0, "", -0.9), (C, 4, "", 0.9), (C, 8, "", -0.9), (C, 10, "", -0.9)]));
    }

    [Fact]
    public void Silence_LongerThanN_Fires_WithItsLength()
    {
        var rules = Rules(new SpeechConditionDocument(Silence: 8_000));
        Assert.Equal(["silence 10.0 s"], Run(rules, [(C, 0, "hello", 0), (A, 12, "sorry for the wait", 0)]));
        Assert.Empty(Run(rules, [(C, 0, "hello", 0), (A, 9, "yes", 0)]));
    }

    [Fact]
    public void Interruptions_CountTheSpeakerStartingOverTheOther()
    {
        var rules = Rules(new SpeechConditionDocument(Interruptions: 2, By: "agent"));
        var call = rules.Start();
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 0, 6_000, "so the problem is", 0)));
        Assert.Empty(rules.Hear(call, new SpeechSegment(A, 4_000, 7_000, "ok I see", 0)));      // one
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 8_000, 14_000, "and then", 0)));
        Assert.Empty(rules.Hear(call, new SpeechSegment(C, 15_000, 20_000, "nobody called", 0)));
        Assert.Equal("2 interruptions", Assert.Single(Assert.Single(rules.Hear(call, new SpeechSegment(A, 19_000, 22_000, "right right", 0))).Evidence));
    }

    [Fact]
    public void Facts_JoinTheWords_InTheRoutingRulesLanguage()
    {
        var rules = Rules(new SpeechConditionDocument(Said: ["cancel", "退订"], By: "customer"), new SpeechConditionDocument(Facts: "tier == 'vip' && !openComplaint"));
        CallFacts Facts(string tier, bool complaint) => new(true, tier, "active", [], complaint, "华东", "zh-CN", 0, "service", "inbound");
        Assert.Equal(["退订 | tier == 'vip' && !openComplaint"], Run(rules, [(C, 0, "我要退订", 0)], facts: Facts("vip", false)));
        Assert.Empty(Run(rules, [(C, 0, "我要退订", 0)], facts: Facts("gold", false)));
        Assert.Empty(Run(rules, [(C, 0, "我要退订", 0)], facts: Facts("vip", true)));
    }

    [Fact]
    public void ARule_FiresOncePerCall_UnlessAllowedMore_AndThenNeedsNewWords()
    {
        var once = Rules(new SpeechConditionDocument(Said: ["lawyer"]));
        Assert.Single(Run(once, [(C, 0, "my lawyer", 0), (C, 5, "my lawyer again", 0)]));
        var twice = SpeechRuleSet.Compile(new SpeechRuleSetDocument([
            new("r", "r", [new(Said: ["lawyer"]), new(Sentiment: new(-0.2, 0))], [new("tag", Tag: "t")], MaxPerCall: 3),
        ]), JiebaWordSegmenter.Instance).Value;
        // The second segment has no new words: the sentiment condition alone does not fire the rule again.
        Assert.Equal(2, Run(twice, [(C, 0, "my lawyer", -0.5), (C, 5, "so angry", -0.5), (C, 9, "lawyer", -0.5)]).Count);
    }

    [Fact]
    public void ADisabledRule_IsCheckedButNeverRuns()
    {
        var rules = SpeechRuleSet.Compile(new SpeechRuleSetDocument([
            new("off", "off", [new(Said: ["cancel"])], [new("tag", Tag: "t")], Enabled: false),
            new("on", "on", [new(Said: ["refund"])], [new("tag", Tag: "t")]),
        ]), JiebaWordSegmenter.Instance).Value;
        Assert.Equal(["refund"], Run(rules, [(C, 0, "cancel and refund", 0)]));
    }

    [Fact]
    public void Validation_NamesEveryProblem_ByField()
    {
        var result = SpeechRuleSet.Compile(new SpeechRuleSetDocument([
            new("bad id!", "", [new(Said: ["can*cel", ""], NotSaid: ["x"])], []),
            new("r2", "r2", [new(Near: ["one"]), new(Sentiment: new(-3, null)), new(Silence: 10), new(Facts: "tier == 'vip'", By: "agent"), new(Said: ["x"], By: "boss", First: 5, Last: 5)],
                [new("escalate", Transfer: "maybe"), new("script"), new("page")], MaxPerCall: 0),
            new("r3", "r3", [new(Facts: "nosuchfact")], [new("tag", Tag: "t")]),
        ]), JiebaWordSegmenter.Instance);
        var fields = result.Error!.Fields!;
        foreach (var field in new[]
        {
            "rules[0].id", "rules[0].name", "rules[0].when[0]", "rules[0].actions", "rules[1].maxPerCall", "rules[1].when[0].near",
            "rules[1].when[1].sentiment.below", "rules[1].when[1].sentiment.forSeconds", "rules[1].when[2].silence", "rules[1].when[3]",
            "rules[1].when[4].by", "rules[1].when[4]", "rules[1].actions[0].group", "rules[1].actions[0].transfer", "rules[1].actions[1].title",
            "rules[1].actions[1].body", "rules[1].actions[2].type", "rules[2].when", "rules[2].when[0].facts",
        })
        {
            Assert.True(fields.ContainsKey(field), $"{field} missing from {string.Join(", ", fields.Keys)}");
        }
        var phrases = SpeechRuleSet.Compile(new SpeechRuleSetDocument([new("p", "p", [new(Said: ["can*cel", " ", new string('x', 65)])], [new("tag", Tag: "t")])]),
            JiebaWordSegmenter.Instance).Error!.Fields!;
        Assert.Equal(["rules[0].when[0].said[0]", "rules[0].when[0].said[1]", "rules[0].when[0].said[2]"], phrases.Keys.Order());
    }

    [Fact]
    public void TheMatcher_FindsWhatANaiveSearchFinds_OnAnyPhrasesAndText()
    {
        // Property: every (phrase, position) a naive folded substring search finds with word boundaries (a phrase starting
        // with a letter starts a word; an alphabetic one without a wildcard also ends one), the matcher finds, in the
        // order of their ends, then starts, then phrases — and nothing else. Phrases of words only take the word pass,
        // the rest the character automaton; the alphabet is small so both walk in and out of partial matches.
        // Words of up to 70 letters too (an inflected phrase can pass 64: the character pass takes it); the text folds
        // full-width letters, ideographic spaces, curly apostrophes and traditional forms, and has word characters in no
        // phrase (ä, kana) and characters that are neither word nor space (a combining accent).
        var word = Gen.OneOf(Gen.String[Gen.Char["abcé1' 投诉取"], 1, 7], Gen.String[Gen.Char["ab"], 60, 70])
            .Select(s => TextFold.Fold(s)).Where(s => s.Length > 0);
        var phrase = Gen.Select(word, Gen.Int[0, 3]).Select((w, p) => new Phrase(w, p == 0));
        var text = Gen.OneOf(Gen.String[Gen.Char["abcÉ1' 投诉取,.！äＡ\u3000’\u0301カ訴"], 0, 80], Gen.String[Gen.Char["ab "], 60, 200]);
        Gen.Select(phrase.List[1, 12], text).Sample((phrases, text) =>
        {
            var matcher = new PhraseMatcher(phrases);
            var hits = new List<PhraseHit>();
            matcher.Find(text, hits);
            var expected = Naive(phrases, text).OrderBy(h => h.End).ThenBy(h => h.Start).ThenBy(h => h.Phrase).ToList();
            Assert.Equal(expected, hits.Select(h => (h.Phrase, h.Start, h.End)).ToList());
        }, iter: 5_000);
    }

    /// <summary>The same semantics, slowly: fold the text char by char (collapsing separators), search every phrase everywhere.</summary>
    private static List<(int Phrase, int Start, int End)> Naive(List<Phrase> phrases, string text)
    {
        var folded = new List<(char C, int At)>();
        foreach (var (raw, at) in text.Select((c, i) => (c, i)))
        {
            var f = TextFold.Fold(raw);
            if (f == ' ' && (folded.Count == 0 || folded[^1].C == ' '))
            {
                continue;
            }
            folded.Add((f, at));
        }
        var found = new List<(int Phrase, int Start, int End)>();
        for (var p = 0; p < phrases.Count; p++)
        {
            var s = phrases[p].Text;
            for (var i = 0; i + s.Length <= folded.Count; i++)
            {
                if (Enumerable.Range(0, s.Length).All(k => folded[i + k].C == s[k]))
                {
                    var (start, end) = (folded[i].At, folded[i + s.Length - 1].At + 1);
                    var alphabetic = !s.Any(TextFold.IsCjk) && !phrases[p].Prefix;
                    var startsWord = TextFold.IsWordChar(s[0]);
                    var bounded = (!startsWord || start == 0 || !TextFold.IsWordChar(TextFold.Fold(text[start - 1])))
                        && (!alphabetic || end == text.Length || !TextFold.IsWordChar(TextFold.Fold(text[end])));
                    if (bounded)
                    {
                        found.Add((p, start, end));
                    }
                }
            }
        }
        return found;
    }

    [Fact]
    public void AnInflectedWordPast64Letters_IsStillFound_AndUnfoldedPhrasesAreRefused()
    {
        // "t" × 64 inflects to 65–67 letters: longer than a word the word pass spells, so the character pass finds them.
        var rules = SpeechRuleSet.Compile(new SpeechRuleSetDocument([
            new("long", "long", [new(Said: [new string('t', 64)])], [new("tag", Tag: "t")]),
        ]), JiebaWordSegmenter.Instance).Value;
        Assert.Equal([new string('t', 64) + "s"], Run(rules, [(C, 0, "so " + new string('t', 64) + "s here", 0)]));
        Assert.Throws<ArgumentException>(() => new PhraseMatcher([new Phrase("Cancel", false)]));
        Assert.Throws<ArgumentException>(() => new PhraseMatcher([new Phrase("cancel  it", false)]));
    }

    [Fact]
    public void Folding_IsIdempotent_AndFoldsWidthCaseAndTraditionalForms()
    {
        Gen.String.Sample(s => Assert.Equal(TextFold.Fold(s), TextFold.Fold(TextFold.Fold(s))), iter: 2_000);
        Assert.Equal("我的帐户还没到 abc 123", TextFold.Fold("我的帳戶還沒到，ＡＢＣ　１２３！"));
    }

    [Fact]
    public void TheDictionaryRoute_CutsAsJiebaDoesWithoutItsGuessing_OnRealQuestions()
    {
        // Property: on windows of real Chinese questions (folded), our route over jieba's trie gives jieba's own cut with hmm: false.
        var questions = LabelledQuestions.Read(Path.Combine(Repository.Root(), "tests", "Switchboard.Tests", "Data", "zh-bank-questions.csv"))
            .Select(q => TextFold.Fold(q.Text).Replace(" ", "", StringComparison.Ordinal)).Where(q => q.Length > 0).ToArray();
        var jieba = new JiebaNet.Segmenter.JiebaSegmenter();
        Gen.Select(Gen.Int[0, questions.Length - 1], Gen.Int[0, 40], Gen.Int[1, 16]).Sample((q, from, length) =>
        {
            var text = questions[q];
            var window = text.Substring(Math.Min(from, text.Length - 1), Math.Min(length, text.Length - Math.Min(from, text.Length - 1)));
            var ours = JiebaWordSegmenter.Instance.DictionaryWords(window).Select(r => window[r]).ToList();
            var theirs = jieba.Cut(window, cutAll: false, hmm: false).Where(w => w.Trim().Length > 0).ToList();
            Assert.Equal(theirs, ours);
        }, iter: 1_000);
    }
}
