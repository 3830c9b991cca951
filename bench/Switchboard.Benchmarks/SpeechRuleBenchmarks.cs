using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Switchboard.Core.Common;
using Switchboard.Core.Speech;
using Switchboard.Core.WrapUp;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Benchmarks;

/// <summary>
/// 1,000 rules in both languages over streaming transcript text with few hits (docs/benchmarks.md, "Speech rules"):
/// 200-character segments cut from real customer questions (banking77, English) and the generated Chinese set, each
/// heard by <see cref="SpeechRuleSet.Hear"/>. The floor is the same text scanned by a bare loop that reads every character.
/// </summary>
[MemoryDiagnoser]
public class SpeechRuleBenchmarks
{
    private SpeechRuleSet _rules = null!;
    private string[] _segments = [];
    private CallSpeechState _call = null!;
    private int _next;

    [Params("en", "zh")]
    public string Language { get; set; } = "en";

    [GlobalSetup]
    public void Setup()
    {
        (_rules, var english, var chinese) = SpeechRuleWorkload.Build(1_000, 11);
        _segments = Language == "en" ? english : chinese;
        _call = _rules.Start();
    }

    /// <summary>One 200-character customer segment through all 1,000 rules.</summary>
    [Benchmark]
    public int Hear()
    {
        var segment = _segments[_next++ % _segments.Length];
        if (_next % 10_000 == 0)
        {
            _call = _rules.Start(); // a new call now and then, as on a real line
        }
        return _rules.Hear(_call, new SpeechSegment(Speaker.Customer, _next * 1_000, _next * 1_000 + 900, segment, 0)).Count;
    }

    /// <summary>The floor: every character of the same segment read once (a sum, so nothing is optimised away).</summary>
    [Benchmark(Baseline = true)]
    public int Floor()
    {
        var segment = _segments[_next++ % _segments.Length];
        var sum = 0;
        foreach (var c in segment)
        {
            sum += c;
        }
        return sum;
    }
}

/// <summary>The workload, shared by the BenchmarkDotNet class and the per-segment latency run (<c>speech-rules N</c>).</summary>
internal static class SpeechRuleWorkload
{
    public const int SegmentLength = 200;

    /// <summary>
    /// Rules: half English (made-up brands, in one rule of ten a rare word of the corpus, and a phrase of two common
    /// words — so the automaton often walks in and out of partial matches), half Chinese (words of jieba's dictionary
    /// that the questions do not contain, one in a hundred a rare word of the questions themselves, and some
    /// near-conditions), and one in fifty watching sentiment or silence. Text with few hits, as the issue asks: the run
    /// prints the share of segments with a candidate hit.
    /// </summary>
    public static (SpeechRuleSet Rules, string[] English, string[] Chinese) Build(int count, int seed)
    {
        var random = new Random(seed);
        var englishText = LabelledQuestions.Read(Shared("banking77-train.csv")).Select(q => q.Text).ToList();
        var chineseText = LabelledQuestions.Read(Path.Combine(Repository.Root(), "tests", "Switchboard.Tests", "Data", "zh-bank-questions.csv")).Select(q => q.Text).ToList();
        var words = englishText.SelectMany(t => t.ToLowerInvariant().Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.All(char.IsAsciiLetterLower)).GroupBy(w => w).Select(g => (Word: g.Key, Count: g.Count())).ToList();
        var rare = words.Where(w => w.Count <= 2 && w.Word.Length > 4).Select(w => w.Word).ToArray();
        var common = words.OrderByDescending(w => w.Count).Take(300).Select(w => w.Word).ToArray();
        // Chinese phrases are words, as people write rules: jieba's own dictionary words of two to four characters,
        // mostly rare ones (brands, risk terms) and some from the questions themselves (which will hit now and then).
        var corpus = string.Join("，", chineseText);
        var dictionary = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Resources", "dict.txt"))
            .Select(l => l.Split(' ')).Where(f => f[0].Length is >= 2 and <= 4 && f[0].All(TextFold.IsCjk) && int.Parse(f[1], CultureInfo.InvariantCulture) is >= 3 and <= 200)
            .Select(f => f[0]).Where(w => !corpus.Contains(w, StringComparison.Ordinal)).Take(20_000).ToArray();
        var spoken = chineseText.SelectMany(t => JiebaWordSegmenter.Instance.Words(t).Select(r => t[r])).Where(w => w.Length >= 2 && w.All(TextFold.IsCjk))
            .GroupBy(w => w).Where(g => g.Count() <= 3).Select(g => g.Key).ToArray();
        string Brand() => string.Concat(Enumerable.Range(0, 3).Select(_ => "bcdfgklmnprstvz"[random.Next(15)].ToString() + "aeiou"[random.Next(5)]));
        string Chinese() => random.Next(100) == 0 ? spoken[random.Next(spoken.Length)] : dictionary[random.Next(dictionary.Length)];
        var rules = new List<SpeechRuleDocument>();
        for (var i = 0; i < count; i++)
        {
            var when = new List<SpeechConditionDocument>();
            if (i % 2 == 0)
            {
                when.Add(new(Said: [Brand(), i % 20 == 0 ? rare[random.Next(rare.Length)] : Brand(), $"{common[random.Next(common.Length)]} {common[random.Next(common.Length)]}"], By: "customer"));
            }
            else if (i % 10 == 1)
            {
                when.Add(new(Near: [Chinese(), Chinese()], Within: 4, By: "customer"));
            }
            else
            {
                when.Add(new(Said: [Chinese(), Chinese(), Chinese()], By: "customer"));
            }
            if (i % 50 == 0)
            {
                when.Add(i % 100 == 0 ? new(Sentiment: new(-0.5, 20), By: "customer") : new(Silence: 10_000));
            }
            rules.Add(new($"r{i}", $"rule {i}", when, [new("warning", "Careful", "A rule fired.")]));
        }
        var compiled = SpeechRuleSet.Compile(new SpeechRuleSetDocument(rules), JiebaWordSegmenter.Instance);
        if (!compiled.IsSuccess)
        {
            throw new InvalidOperationException(string.Join("; ", compiled.Error.Fields!.Select(f => f.Key + " " + string.Join(" ", f.Value))));
        }
        JiebaWordSegmenter.Warm();
        return (compiled.Value, Segments(englishText, " "), Segments(chineseText, "，"));
    }

    private static string[] Segments(List<string> texts, string separator)
    {
        var stream = string.Join(separator, texts);
        return Enumerable.Range(0, stream.Length / SegmentLength).Select(i => stream.Substring(i * SegmentLength, SegmentLength)).ToArray();
    }

    public static string Shared(string file) =>
        new[] { Environment.GetEnvironmentVariable("SWITCHBOARD_SHARED_DATA") ?? "", Path.Combine(Repository.Root(), "..", "shared", "data"), "/work/shared/data" }
            .Select(folder => Path.Combine(folder, file)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{file} from ../shared/data is not on this machine (set SWITCHBOARD_SHARED_DATA).");

    /// <summary>
    /// <c>speech-rules N</c>: N segments of each language heard one by one on one thread, each timed (Stopwatch ticks),
    /// after a warm-up pass; prints characters per second and the per-segment percentiles, with the floor (a bare read of
    /// the same characters) from the same run.
    /// </summary>
    public static int Run(int segments)
    {
        var (rules, english, chinese) = Build(1_000, 11);
        Console.WriteLine($"rules {rules.Rules.Count}, automaton states (words and characters) {rules.States:N0}, segments of {SegmentLength} characters");
        foreach (var (language, texts) in new[] { ("en", english), ("zh", chinese) })
        {
            for (var pass = 0; pass < 2; pass++)
            {
                var call = rules.Start();
                var times = new double[segments];
                var fired = 0;
                var floor = 0L;
                var total = Stopwatch.GetTimestamp();
                for (var i = 0; i < segments; i++)
                {
                    if (i % 10_000 == 0)
                    {
                        call = rules.Start();
                    }
                    var text = texts[i % texts.Length];
                    var start = Stopwatch.GetTimestamp();
                    fired += rules.Hear(call, new SpeechSegment(Speaker.Customer, i * 1_000, i * 1_000 + 900, text, 0)).Count;
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
                var elapsed = Stopwatch.GetElapsedTime(total).TotalSeconds;
                var floorStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < segments; i++)
                {
                    foreach (var c in texts[i % texts.Length])
                    {
                        floor += c;
                    }
                }
                var floorSeconds = Stopwatch.GetElapsedTime(floorStart).TotalSeconds;
                var scan = new List<PhraseHit>();
                var withHits = 0;
                var scanStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < segments; i++)
                {
                    withHits += rules.Matcher.Find(texts[i % texts.Length], scan) > 0 ? 1 : 0;
                }
                var scanSeconds = Stopwatch.GetElapsedTime(scanStart).TotalSeconds;
                var passes = new[] { true, false }.Select(ofWords => new PhraseMatcher(rules.Matcher.Phrases.Where(p => WordPhraseMatcher.Takes(p.Text) == ofWords).ToList())).ToArray();
                var passSeconds = passes.Select(matcher =>
                {
                    var passStart = Stopwatch.GetTimestamp();
                    for (var i = 0; i < segments; i++)
                    {
                        matcher.Find(texts[i % texts.Length], scan);
                    }
                    return Stopwatch.GetElapsedTime(passStart).TotalSeconds;
                }).ToArray();
                if (pass == 0)
                {
                    continue; // warm-up: JIT tiers, jieba's dictionary
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{language}: the matcher alone {(double)segments * SegmentLength / scanSeconds / 1e6:0.0} M chars/s (its word pass alone {(double)segments * SegmentLength / passSeconds[0] / 1e6:0.0}, its character pass alone {(double)segments * SegmentLength / passSeconds[1] / 1e6:0.0}); segments with a candidate hit {100.0 * withHits / segments:0.0}%"));
                Array.Sort(times);
                var characters = (double)segments * SegmentLength;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{language}: {characters / elapsed / 1e6:0.0} M chars/s (timers included), per segment p50 {Percentiles.NearestRank(times, 0.50):0.00} µs, p99 {Percentiles.NearestRank(times, 0.99):0.00} µs, p99.9 {Percentiles.NearestRank(times, 0.999):0.00} µs, max {times[^1]:0.0} µs; firings {fired}; floor (bare read) {characters / floorSeconds / 1e6:0} M chars/s [{floor % 10}]"));
            }
        }
        return 0;
    }
}
