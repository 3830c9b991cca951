using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Core.WrapUp;

/// <summary>What the summary is drafted from besides the transcript: the call's and the customer's facts.</summary>
public sealed record SummaryFacts(
    string? CustomerName, string? Tier, string? Queue, string? Agent, bool Outbound, TimeSpan? Duration, IReadOnlyList<string> OpenTickets);

/// <summary>A drafted service summary: the text the agent edits, and its parts (what follow-up rules read).</summary>
/// <param name="Text">Who called, why, what was said and agreed, next steps; in the call's language.</param>
/// <param name="Language"><c>zh</c> or <c>en</c>.</param>
/// <param name="Reason">Why the customer called, in their words, when the transcript says.</param>
/// <param name="Points">What was discussed: the sentences that carry most of the conversation's content.</param>
/// <param name="NextSteps">What the agent committed to.</param>
/// <param name="Keywords">The conversation's most telling words (Chinese: two-character words).</param>
/// <param name="Engine"><c>extractive</c>, or the chat model's name.</param>
public sealed record SummaryDraft(
    string Text, string Language, string? Reason, IReadOnlyList<string> Points, IReadOnlyList<string> NextSteps, IReadOnlyList<string> Keywords, string Engine);

/// <summary>Drafts a call's summary.</summary>
public interface ISummarizer
{
    Task<SummaryDraft> SummarizeAsync(SummaryFacts facts, IReadOnlyList<SegmentView> transcript, CancellationToken cancellationToken);
}

/// <summary>
/// The built-in summariser, offline, for Chinese and English: it picks sentences rather than writing new ones.
/// Sentences are scored by the frequency of their content words across the whole call (TextRank's simpler cousin,
/// as in Luhn's auto-abstract): Chinese as two-character words, English as words without stop words, folded to their
/// stem by a few suffix rules. The reason is the customer's first sentence that asks or wants something; next steps
/// are the agent's sentences that commit to something. Pure and deterministic.
/// </summary>
public sealed partial class ExtractiveSummarizer : ISummarizer
{
    private static readonly string[] AskZh = ["想", "要", "需要", "咨询", "请问", "怎么", "能不能", "可以", "为什么", "投诉", "升级", "退", "换", "问题", "不能", "没有"];
    private static readonly string[] AskEn = ["want", "need", "would like", "how", "why", "can you", "could you", "problem", "issue", "upgrade", "cancel", "refund", "complain", "not working", "doesn't"];
    private static readonly string[] CommitZh = ["会", "将", "安排", "帮您", "给您", "明天", "稍后", "下周", "回电", "发送", "处理", "为您", "跟进"];
    private static readonly string[] CommitEn = ["i will", "i'll", "we will", "we'll", "arrange", "send you", "call you back", "tomorrow", "next week", "follow up", "let me"];
    private static readonly HashSet<string> StopEn = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "for", "with", "is", "are", "was", "were", "be", "it", "this", "that", "i", "you",
        "we", "my", "your", "our", "me", "can", "could", "would", "will", "do", "does", "did", "have", "has", "had", "so", "if", "at", "by", "from",
        "as", "not", "no", "yes", "hi", "hello", "ok", "okay", "please", "thank", "thanks", "just", "about", "there", "what", "how", "why", "when",
        "i'm", "it's", "that's", "let", "me", "sure", "right", "well", "um", "uh", "also", "then", "them", "they", "he", "she", "his", "her",
    };
    private static readonly HashSet<string> StopZh = new(StringComparer.Ordinal)
    {
        "您好", "你好", "谢谢", "请问", "我们", "你们", "这个", "那个", "一下", "可以", "就是", "然后", "没有", "什么", "怎么", "好的", "是的", "的话", "现在", "已经",
    };

    public Task<SummaryDraft> SummarizeAsync(SummaryFacts facts, IReadOnlyList<SegmentView> transcript, CancellationToken cancellationToken) =>
        Task.FromResult(Summarize(facts, transcript));

    public static SummaryDraft Summarize(SummaryFacts facts, IReadOnlyList<SegmentView> transcript)
    {
        var final = transcript.Where(s => s.Final).OrderBy(s => s.Start).ToList();
        var chinese = final.Count == 0 ? facts.CustomerName?.Any(IsHan) ?? true : LanguageOf(final) == "zh";
        var sentences = final.SelectMany(s => Sentences(s.Text).Select(text => (s.Speaker, Text: text))).ToList();
        var weights = Weights(final);
        double Score(string text)
        {
            var tokens = Tokens(text).ToList();
            return tokens.Count == 0 ? 0 : tokens.Sum(t => weights.GetValueOrDefault(t) > 1 ? weights[t] : 0) / Math.Sqrt(tokens.Count);
        }

        var ask = chinese ? AskZh : AskEn;
        var commit = chinese ? CommitZh : CommitEn;
        var customer = sentences.Where(s => s.Speaker == Speaker.Customer).Select(s => s.Text).ToList();
        var reason = customer.FirstOrDefault(t => HasCue(t, ask, chinese))
            ?? customer.OrderByDescending(Score).FirstOrDefault();
        // A commitment is a statement, not a question ("有什么可以帮您？" offers help, it promises none).
        var nextSteps = sentences.Where(s => s.Speaker == Speaker.Agent && !s.Text.EndsWith('？') && !s.Text.EndsWith('?') && HasCue(s.Text, commit, chinese))
            .Select(s => s.Text).Distinct(StringComparer.Ordinal).TakeLast(2).ToList();
        var points = sentences.Select((s, i) => (s.Text, i, Score: Score(s.Text)))
            .Where(s => s.Text != reason && !nextSteps.Contains(s.Text) && s.Score > 0)
            .OrderByDescending(s => s.Score).ThenBy(s => s.i).Take(3).OrderBy(s => s.i).Select(s => s.Text).ToList();
        var keywords = KeywordsOf(weights);

        var text = new StringBuilder();
        var minutes = facts.Duration is { } d ? (int)d.TotalMinutes : (int?)null;
        var seconds = facts.Duration is { } e ? e.Seconds : (int?)null;
        if (chinese)
        {
            text.Append(CultureInfo.InvariantCulture, $"客户：{facts.CustomerName ?? "未识别来电"}{(facts.Tier is null ? "" : $"（{facts.Tier}）")}");
            text.Append(CultureInfo.InvariantCulture, $" · {(facts.Outbound ? "外呼" : "来电")}{(facts.Queue is null ? "" : $"（{facts.Queue}）")}");
            text.Append(minutes is null ? "" : string.Create(CultureInfo.InvariantCulture, $" · 通话 {minutes} 分 {seconds} 秒")).Append('\n');
            text.Append("来电原因：").Append(reason ?? "（无通话记录）").Append('\n');
            if (points.Count > 0)
            {
                text.Append("沟通要点：").Append(string.Join("；", points)).Append('\n');
            }
            text.Append("约定与下一步：").Append(nextSteps.Count > 0 ? string.Join("；", nextSteps) : "无").Append('\n');
            if (facts.OpenTickets.Count > 0)
            {
                text.Append("相关未结工单：").Append(string.Join("、", facts.OpenTickets)).Append('\n');
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Customer: {facts.CustomerName ?? "unidentified caller"}{(facts.Tier is null ? "" : $" ({facts.Tier})")}");
            text.Append(CultureInfo.InvariantCulture, $" · {(facts.Outbound ? "outbound" : "inbound")} call{(facts.Queue is null ? "" : $" via {facts.Queue}")}");
            text.Append(minutes is null ? "" : string.Create(CultureInfo.InvariantCulture, $" · {minutes}m {seconds}s")).Append('\n');
            text.Append("Reason: ").Append(reason ?? "(no transcript)").Append('\n');
            if (points.Count > 0)
            {
                text.Append("Discussed: ").Append(string.Join(" ", points.Select(EndSentence))).Append('\n');
            }
            text.Append("Agreed / next steps: ").Append(nextSteps.Count > 0 ? string.Join(" ", nextSteps.Select(EndSentence)) : "none").Append('\n');
            if (facts.OpenTickets.Count > 0)
            {
                text.Append("Open tickets: ").Append(string.Join(", ", facts.OpenTickets)).Append('\n');
            }
        }
        return new SummaryDraft(text.ToString().TrimEnd(), chinese ? "zh" : "en", reason, points, nextSteps, keywords, "extractive");
    }

    /// <summary>The call's language from its final segments: <c>zh</c> when at least half are Chinese (also with none), else <c>en</c>.</summary>
    public static string LanguageOf(IReadOnlyList<SegmentView> transcript)
    {
        var final = transcript.Where(s => s.Final).ToList();
        return final.Count(s => s.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) * 2 >= final.Count ? "zh" : "en";
    }

    /// <summary>The call's most telling words (those said more than once, most frequent first, at most five).</summary>
    public static IReadOnlyList<string> Keywords(IReadOnlyList<SegmentView> transcript) => KeywordsOf(Weights(transcript.Where(s => s.Final)));

    private static Dictionary<string, double> Weights(IEnumerable<SegmentView> final) =>
        final.SelectMany(s => Sentences(s.Text)).SelectMany(Tokens).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (double)g.Count(), StringComparer.Ordinal);

    private static List<string> KeywordsOf(Dictionary<string, double> weights) =>
        weights.Where(w => w.Value > 1).OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Take(5).Select(w => w.Key).ToList();

    /// <summary>Sentences of a segment: split after 。！？；.!?; and at line breaks, trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 1);

    /// <summary>Content tokens: Chinese as overlapping two-character words (stop words out), other text as lower-case stemmed words.</summary>
    public static IEnumerable<string> Tokens(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant(); // full-width to half-width first
        foreach (Match run in HanRun().Matches(normalized))
        {
            for (var i = 0; i + 1 < run.Value.Length; i++)
            {
                var bigram = run.Value.Substring(i, 2);
                if (!StopZh.Contains(bigram))
                {
                    yield return bigram;
                }
            }
        }
        foreach (Match word in Word().Matches(normalized))
        {
            if (word.Value.Length > 2 && !StopEn.Contains(word.Value))
            {
                yield return Stem(word.Value);
            }
        }
    }

    private static string Stem(string word) =>
        word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4 ? word[..^3] + "y"
        : word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5 ? word[..^3]
        : word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4 ? word[..^2]
        : word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word.Length > 3 ? word[..^1]
        : word;

    /// <summary>Chinese cues anywhere; English cues as whole words ("how" is not in "shows").</summary>
    private static bool HasCue(string text, string[] cues, bool chinese) =>
        chinese ? cues.Any(c => text.Contains(c, StringComparison.Ordinal))
            : cues.Any(c => Regex.IsMatch(text, $@"\b{Regex.Escape(c)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)));

    private static string EndSentence(string sentence) => sentence.EndsWith('.') ? sentence : sentence + ".";

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff';

    [GeneratedRegex(@"(?<=[。！？；!?;])|(?<=\.)\s+|\n")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\u4e00-\u9fff]+")]
    private static partial Regex HanRun();

    [GeneratedRegex(@"[a-z0-9][a-z0-9']*")]
    private static partial Regex Word();
}
