using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;
using Switchboard.Core.Speech;

namespace Switchboard.Core.Knowledge;

/// <summary>Settings under <c>Knowledge</c>.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>How alike a question's words must be to a topic's to join it (cosine of word counts). Default 0.45.</summary>
    public double TopicSimilarity { get; set; } = 0.45;

    /// <summary>Questions without a good article a topic needs (within <see cref="WindowDays"/>) to become a draft. Default 5.</summary>
    public int MinQuestions { get; set; } = 5;

    /// <summary>A search score from which the best article counts as a good answer (BM25, as <see cref="KnowledgeIndex"/> scores). Default 12.</summary>
    public double GoodMatchScore { get; set; } = 12;

    /// <summary>The days of questions that count toward a draft. Default 30.</summary>
    public int WindowDays { get; set; } = 30;

    /// <summary>How often the learner runs in the background (minutes; 0: only when asked). Default 15.</summary>
    public int LearnEveryMinutes { get; set; } = 15;
}

/// <summary>Whether a customer's sentence is a question: a question mark, a question particle or word (吗, 怎么, 为什么 …), or an English question's first word.</summary>
public static class QuestionDetector
{
    private static readonly string[] Chinese =
        ["吗", "怎么", "如何", "为什么", "为啥", "能不能", "可不可以", "是不是", "有没有", "多少", "什么时候", "哪里", "哪儿", "几天", "多久", "怎样", "啥时候", "什么"];

    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "how", "what", "why", "when", "where", "which", "who", "can", "could", "do", "does", "did", "is", "are", "was", "will", "would", "should", "may", "have", "has",
    };

    public static bool IsQuestion(string text)
    {
        var folded = TextFold.Fold(text);
        if (folded.Length < 3)
        {
            return false;
        }
        if (text.TrimEnd().EndsWith('?') || text.TrimEnd().EndsWith('？') || text.Contains('?', StringComparison.Ordinal) || text.Contains('？', StringComparison.Ordinal))
        {
            return true;
        }
        if (folded.Any(TextFold.IsCjk))
        {
            return Chinese.Any(w => folded.Contains(w, StringComparison.Ordinal)) || folded.EndsWith('呢');
        }
        var first = folded.Split(' ', 2)[0];
        return English.Contains(first);
    }
}

/// <summary>A topic as the hot-topics report shows it.</summary>
public sealed record HotTopicView(Guid Id, string Label, string Language, int Questions, int Previous, double? Trend, IReadOnlyDictionary<string, int> Regions,
    Guid? DraftArticleId, DateTime LastAskedAt);

/// <summary>What a learning run did.</summary>
public sealed record LearnResult(int Grouped, int NewTopics, IReadOnlyList<Guid> Drafts);

/// <summary>
/// Learns from calls: customers' questions are grouped into topics by their words (each joins the most alike topic of
/// its language above a threshold, else starts one); a topic asked often enough recently without a good article
/// (none found, a low score, or an article agents said did not help) becomes a draft article — its questions as the
/// variants and the answers agents gave on calls that ended resolved — for a reviewer to edit and publish.
/// </summary>
internal sealed class QuestionLearner(SwitchboardDbContext db, TimeProvider time, IOptions<KnowledgeOptions> options,
    IOptions<WrapUp.WrapUpOptions> wrapUp)
{
    private const int TopicTerms = 40;
    private static readonly SpeechAnalyzer Analyzer = new();
    private static readonly SemaphoreSlim Running = new(1, 1);

    public async Task<LearnResult> LearnAsync(CancellationToken cancellationToken)
    {
        // One run at a time in this process (the timer and a request at once would group the same questions twice).
        await Running.WaitAsync(cancellationToken);
        try
        {
            return await LearnOnceAsync(cancellationToken);
        }
        finally
        {
            Running.Release();
        }
    }

    private async Task<LearnResult> LearnOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var questions = await db.CustomerQuestions.Where(q => q.TopicId == null).OrderBy(q => q.AskedAt).Take(5_000).ToListAsync(cancellationToken);
        var since = now.AddDays(-90);
        var topics = await db.QuestionTopics.Where(t => t.LastAskedAt >= since).ToListAsync(cancellationToken);
        var vectors = topics.ToDictionary(t => t.Id, t => JsonSerializer.Deserialize<Dictionary<string, int>>(t.Terms) ?? []);
        var created = 0;
        foreach (var question in questions)
        {
            var terms = Counts(question.Text);
            if (terms.Count == 0)
            {
                question.TopicId = Guid.Empty; // nothing to group by (a bare "嗯？"): looked at, never grouped
                continue;
            }
            var language = Root(question.Language);
            var best = topics.Where(t => Root(t.Language) == language)
                .Select(t => (Topic: t, Similarity: Cosine(terms, vectors[t.Id]))).OrderByDescending(x => x.Similarity).FirstOrDefault();
            QuestionTopic topic;
            if (best.Topic is not null && best.Similarity >= settings.TopicSimilarity)
            {
                topic = best.Topic;
                topic.Questions++;
                topic.LastAskedAt = question.AskedAt > topic.LastAskedAt ? question.AskedAt : topic.LastAskedAt;
            }
            else
            {
                topic = new QuestionTopic
                {
                    Id = Ids.New(time), Label = question.Text, Language = question.Language, Questions = 1, FirstAskedAt = question.AskedAt, LastAskedAt = question.AskedAt,
                };
                db.QuestionTopics.Add(topic);
                topics.Add(topic);
                vectors[topic.Id] = [];
                created++;
            }
            var vector = vectors[topic.Id];
            foreach (var (term, count) in terms)
            {
                vector[term] = vector.GetValueOrDefault(term) + count;
            }
            if (vector.Count > TopicTerms * 2)
            {
                vectors[topic.Id] = vector = vector.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Take(TopicTerms)
                    .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            }
            topic.Terms = JsonSerializer.Serialize(vector.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Take(TopicTerms)
                .ToDictionary(v => v.Key, v => v.Value));
            question.TopicId = topic.Id;
        }
        await db.SaveChangesAsync(cancellationToken);
        var drafts = await DraftAsync(topics.Where(t => t.DraftArticleId is null).ToList(), vectors, settings, now, cancellationToken);
        return new LearnResult(questions.Count, created, drafts);
    }

    private async Task<List<Guid>> DraftAsync(List<QuestionTopic> candidates, Dictionary<Guid, Dictionary<string, int>> vectors, KnowledgeOptions settings, DateTime now,
        CancellationToken cancellationToken)
    {
        var drafts = new List<Guid>();
        var from = now.AddDays(-settings.WindowDays);
        var resolving = wrapUp.Value.Dispositions.Where(d => d.Resolves).Select(d => d.Code).ToList();
        foreach (var topic in candidates.Where(t => t.Questions >= settings.MinQuestions))
        {
            var asked = await db.CustomerQuestions.AsNoTracking().Where(q => q.TopicId == topic.Id && q.AskedAt >= from).OrderByDescending(q => q.AskedAt).Take(500)
                .ToListAsync(cancellationToken);
            var articleIds = asked.Where(q => q.ArticleId != null).Select(q => q.ArticleId!.Value).Distinct().ToList();
            var rejected = (await db.KnowledgeArticles.AsNoTracking().Where(a => EF.Parameter(articleIds).Contains(a.Id) && a.NotHelped > a.Helped)
                .Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
            var unanswered = asked.Where(q => q.ArticleId is null || q.Score < settings.GoodMatchScore || rejected.Contains(q.ArticleId.Value)).ToList();
            if (unanswered.Count < settings.MinQuestions)
            {
                continue;
            }
            var callIds = unanswered.Select(q => q.CallId).Distinct().ToList();
            var resolved = (await db.Interactions.AsNoTracking().Where(i => i.CallId != null && EF.Parameter(callIds).Contains(i.CallId)
                    && i.Disposition != null && EF.Parameter(resolving).Contains(i.Disposition))
                .Select(i => i.CallId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var vector = vectors[topic.Id];
            var examples = unanswered.GroupBy(q => TextFold.Fold(q.Text), StringComparer.Ordinal).Select(g => g.First())
                .OrderByDescending(q => Cosine(Counts(q.Text), vector)).Take(10).ToList();
            var answers = unanswered.Where(q => q.Answer.Length > 0 && resolved.Contains(q.CallId)).Select(q => q.Answer).Distinct(StringComparer.Ordinal).Take(3).ToList();
            topic.Label = examples[0].Text;
            var article = new KnowledgeArticle
            {
                Id = Ids.New(time), Title = Texts.Clip(examples[0].Text, Limits.Name), Questions = JsonSerializer.Serialize(examples.Select(e => Texts.Clip(e.Text, KnowledgeArticle.MaxQuestionLength)).ToList()),
                Answer = Texts.Clip(string.Join("\n---\n", answers), KnowledgeArticle.MaxAnswer), Language = topic.Language, Status = ArticleStatus.Draft, Origin = "learned",
                TopicId = topic.Id, Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            db.KnowledgeArticles.Add(article);
            topic.DraftArticleId = article.Id;
            drafts.Add(article.Id);
        }
        await db.SaveChangesAsync(cancellationToken);
        return drafts;
    }

    /// <summary>Topics by how often they were asked in the last <paramref name="days"/> days against the days before, with regions.</summary>
    public async Task<Result<IReadOnlyList<HotTopicView>>> HotAsync(int? days, string? language, int? top, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 365)
        {
            return Error.Validation("days", "must be 1 to 365.");
        }
        var span = TimeSpan.FromDays(days ?? 7);
        var now = time.GetUtcNow().UtcDateTime;
        var asked = await db.CustomerQuestions.AsNoTracking().Where(q => q.TopicId != null && q.TopicId != Guid.Empty && q.AskedAt >= now - span - span)
            .Select(q => new { q.TopicId, q.AskedAt, q.Region }).ToListAsync(cancellationToken);
        var counts = asked.GroupBy(q => q.TopicId!.Value).Select(g => (Topic: g.Key, Now: g.Where(q => q.AskedAt >= now - span).ToList(), Before: g.Count(q => q.AskedAt < now - span)))
            .Where(x => x.Now.Count > 0).OrderByDescending(x => x.Now.Count).Take(Math.Clamp(top ?? 20, 1, 100)).ToList();
        var ids = counts.Select(c => c.Topic).ToList();
        var topics = await db.QuestionTopics.AsNoTracking().Where(t => EF.Parameter(ids).Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        return counts.Where(c => topics.ContainsKey(c.Topic) && (language is null || Root(topics[c.Topic].Language) == Root(language))).Select(c =>
        {
            var topic = topics[c.Topic];
            return new HotTopicView(topic.Id, topic.Label, topic.Language, c.Now.Count, c.Before, c.Before == 0 ? null : Math.Round((double)c.Now.Count / c.Before - 1, 3),
                c.Now.GroupBy(q => q.Region.Length == 0 ? "unknown" : q.Region).ToDictionary(g => g.Key, g => g.Count()), topic.DraftArticleId, topic.LastAskedAt);
        }).ToList();
    }

    private static Dictionary<string, int> Counts(string text) =>
        Analyzer.Terms(text).GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static double Cosine(Dictionary<string, int> a, Dictionary<string, int> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }
        double dot = 0;
        foreach (var (term, count) in a)
        {
            dot += count * (double)b.GetValueOrDefault(term);
        }
        return dot / (Math.Sqrt(a.Values.Sum(v => (double)v * v)) * Math.Sqrt(b.Values.Sum(v => (double)v * v)));
    }

    private static string Root(string language) => language.Split('-')[0].ToLowerInvariant();
}
