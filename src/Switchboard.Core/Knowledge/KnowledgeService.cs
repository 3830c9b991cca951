using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Knowledge;

/// <summary>An article to create or change; nullable so that validation names every missing field.</summary>
public sealed record ArticleInput(
    string? Title, string? Answer, IReadOnlyList<string>? Questions, IReadOnlyList<string>? Tags, string? Language, string? Owner, ArticleStatus? Status);

/// <summary>An article as the API shows it.</summary>
public sealed record ArticleView(
    Guid Id, string Title, string Answer, IReadOnlyList<string> Questions, IReadOnlyList<string> Tags, string Language, string Owner, ArticleStatus Status,
    string Origin, Guid? TopicId, int Helped, int NotHelped, long Version, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>An article suggested for a question: enough for the desktop to show it.</summary>
public sealed record ArticleSuggestion(Guid Id, string Title, string Answer, double Score, string? Question);

/// <summary>The agent's verdict on a suggested article, on a call or not.</summary>
public sealed record ArticleFeedbackInput(bool? Helped, string? CallSource, string? CallId);

/// <summary>
/// The knowledge base's search index, current with the store: loaded at start, changed with every change made here,
/// and reloaded when another node changed the store (checked at most every 30 s, by the count and latest change of
/// published articles).
/// </summary>
public sealed class KnowledgeBase(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int Count, DateTime Latest)? _loaded;
    private DateTimeOffset _checkedAt;
    private int _changes;

    public KnowledgeIndex Index { get; } = new();

    /// <summary>The index, loaded or refreshed if the store changed elsewhere.</summary>
    public async Task<KnowledgeIndex> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_loaded is not null && time.GetUtcNow() - _checkedAt < TimeSpan.FromSeconds(30))
        {
            return Index;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var changes = Volatile.Read(ref _changes);
            var published = db.KnowledgeArticles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published);
            var signature = (await published.CountAsync(cancellationToken), await published.MaxAsync(a => (DateTime?)a.UpdatedAt, cancellationToken) ?? default);
            if (_loaded != signature)
            {
                var rows = await published.ToListAsync(cancellationToken);
                // A change made on this node while the store was read is in the index already and maybe not in what
                // was read: load only what is at least as new as the index, else check again on the next read.
                if (Volatile.Read(ref _changes) == changes)
                {
                    Index.Load(rows.Select(Indexed));
                    _loaded = signature;
                }
            }
            _checkedAt = time.GetUtcNow();
            return Index;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Brings one article's change into the index at once (this node); others see it within 30 s.</summary>
    public void Changed(KnowledgeArticle article)
    {
        Interlocked.Increment(ref _changes);
        if (article.Status == ArticleStatus.Published)
        {
            Index.Upsert(Indexed(article));
        }
        else
        {
            Index.Remove(article.Id);
        }
        _loaded = null; // the next read checks the signature again (it moved)
    }

    public static IndexedArticle Indexed(KnowledgeArticle a) =>
        new(a.Id, a.Title, a.Answer, JsonSerializer.Deserialize<List<string>>(a.Questions) ?? [], a.Language, a.Helped, a.NotHelped);

    public void Dispose()
    {
        Index.Dispose();
        _gate.Dispose();
    }
}

/// <summary>Articles: made and changed (with the version read), searched, and rated by agents.</summary>
internal sealed class KnowledgeService(SwitchboardDbContext db, KnowledgeBase knowledge, TimeProvider time)
{
    /// <summary>Articles by status and language; <paramref name="publishedOnly"/> for roles that do not review (a learnt draft quotes customers' questions and other agents' answers).</summary>
    public async Task<Page<ArticleView>> ListAsync(ArticleStatus? status, string? language, string? cursor, int? limit, bool publishedOnly, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(limit ?? 50, 1, 200);
        var query = db.KnowledgeArticles.AsNoTracking();
        if (publishedOnly)
        {
            query = query.Where(a => a.Status == ArticleStatus.Published);
        }
        if (status is { } s)
        {
            query = query.Where(a => a.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(language))
        {
            query = query.Where(a => a.Language == language);
        }
        if (Guid.TryParse(cursor, out var after))
        {
            query = query.Where(a => a.Id.CompareTo(after) > 0);
        }
        var rows = await query.OrderBy(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        return new Page<ArticleView>(rows.Take(size).Select(View).ToList(), rows.Count > size ? rows[size - 1].Id.ToString() : null);
    }

    public async Task<Result<ArticleView>> GetAsync(Guid id, bool publishedOnly, CancellationToken cancellationToken) =>
        await db.KnowledgeArticles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && (!publishedOnly || a.Status == ArticleStatus.Published), cancellationToken) is { } article
            ? View(article) : Error.NotFound("article");

    public async Task<Result<ArticleView>> CreateAsync(ArticleInput? input, string actor, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } error)
        {
            return error;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var article = new KnowledgeArticle { Id = Ids.New(time), Version = 1, CreatedAt = now, Origin = "manual" };
        Apply(article, input!, actor, now);
        db.KnowledgeArticles.Add(article);
        await db.SaveChangesAsync(cancellationToken);
        knowledge.Changed(article);
        return View(article);
    }

    public async Task<Result<ArticleView>> UpdateAsync(Guid id, ArticleInput? input, long? ifMatch, string actor, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } error)
        {
            return error;
        }
        var article = await db.KnowledgeArticles.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (article is null)
        {
            return Error.NotFound("article");
        }
        if (ifMatch is null)
        {
            return Error.Validation("version", "is required: send the version you read in If-Match.");
        }
        if (ifMatch != article.Version)
        {
            return Error.StaleVersion("article");
        }
        db.Entry(article).Property(a => a.Version).OriginalValue = ifMatch.Value;
        article.Version++;
        Apply(article, input!, actor, time.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.StaleVersion("article");
        }
        knowledge.Changed(article);
        return View(article);
    }

    /// <summary>The best published articles for a question.</summary>
    public async Task<Result<IReadOnlyList<ArticleSuggestion>>> SearchAsync(string? q, string? language, int? top, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 1_000)
        {
            return Error.Validation("q", "is required: a question of at most 1,000 characters.");
        }
        var index = await knowledge.CurrentAsync(cancellationToken);
        return Suggest(index, q, language, Math.Clamp(top ?? 3, 1, 20)).ToList();
    }

    public static IEnumerable<ArticleSuggestion> Suggest(KnowledgeIndex index, string question, string? language, int top) =>
        index.Search(question, top, language).Select(m => index.Find(m.Id) is { } a
            ? new ArticleSuggestion(a.Id, a.Title, Texts.Clip(a.Answer, 600), m.Score, m.Question)
            : null).OfType<ArticleSuggestion>();

    /// <summary>An agent says whether a suggested article helped; kept, counted on the article, and felt by its ranking.</summary>
    public async Task<Result<ArticleView>> FeedbackAsync(Guid id, ArticleFeedbackInput? input, string agent, CancellationToken cancellationToken)
    {
        if (input?.Helped is not { } helped)
        {
            return Error.Validation("helped", "is required: true or false.");
        }
        var callId = input.CallSource is { } source && input.CallId is { } call ? Calls.CallHistoryWriter.CallIdOf(source, call) : null;
        if (callId is { Length: > Limits.CallId } || input.CallSource is { Length: > Limits.Code })
        {
            return Error.Validation("callId", $"is too long (source and call id together at most {Limits.CallId} characters).");
        }
        var by = agent.Length > Limits.Code ? agent[..Limits.Code] : agent;
        var article = await db.KnowledgeArticles.FirstOrDefaultAsync(a => a.Id == id && a.Status == ArticleStatus.Published, cancellationToken);
        if (article is null)
        {
            return Error.NotFound("article");
        }
        // One verdict per agent, article and call (or per agent and article outside calls): a second one is refused.
        if (await db.ArticleFeedback.AnyAsync(f => f.ArticleId == id && f.Agent == by && f.CallId == callId, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Conflict, "This agent rated this article for this call already.");
        }
        db.ArticleFeedback.Add(new ArticleFeedback { Id = Ids.New(time), ArticleId = id, Agent = by, Helped = helped, At = time.GetUtcNow().UtcDateTime, CallId = callId });
        // The verdict and its count in one transaction; counted in the database (two agents at once both count), then
        // read back for the index.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (helped)
        {
            await db.KnowledgeArticles.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Helped, a => a.Helped + 1), cancellationToken);
        }
        else
        {
            await db.KnowledgeArticles.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.NotHelped, a => a.NotHelped + 1), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await db.Entry(article).ReloadAsync(cancellationToken);
        knowledge.Changed(article);
        return View(article);
    }

    private static Error? Validate(ArticleInput? input)
    {
        var errors = new ValidationErrors();
        if (input is null)
        {
            return Error.Validation("body", "is required.");
        }
        errors.Required("title", input.Title, Limits.Name);
        errors.Required("language", input.Language, Limits.Language);
        errors.MaxLength("owner", input.Owner, Limits.Code);
        errors.MaxLength("answer", input.Answer, KnowledgeArticle.MaxAnswer);
        if (input.Status == ArticleStatus.Published && string.IsNullOrWhiteSpace(input.Answer))
        {
            errors.Add("answer", "is required to publish.");
        }
        if (input.Status is { } status && !Enum.IsDefined(status))
        {
            errors.Add("status", "must be draft, published or retired.");
        }
        var questions = input.Questions ?? [];
        if (questions.Count is 0 or > KnowledgeArticle.MaxQuestions)
        {
            errors.Add("questions", $"must list 1 to {KnowledgeArticle.MaxQuestions} ways customers ask.");
        }
        for (var i = 0; i < Math.Min(questions.Count, KnowledgeArticle.MaxQuestions); i++)
        {
            errors.Required($"questions[{i}]", questions[i], KnowledgeArticle.MaxQuestionLength);
        }
        var tags = input.Tags ?? [];
        if (tags.Count > Limits.MaxTags)
        {
            errors.Add("tags", $"may list at most {Limits.MaxTags} tags.");
        }
        for (var i = 0; i < Math.Min(tags.Count, Limits.MaxTags); i++)
        {
            errors.Required($"tags[{i}]", tags[i], Limits.Tag);
        }
        return errors.Any ? errors.ToError() : null;
    }

    private static void Apply(KnowledgeArticle article, ArticleInput input, string actor, DateTime now)
    {
        article.Title = input.Title!.Trim();
        article.Answer = input.Answer?.Trim() ?? "";
        article.Questions = JsonSerializer.Serialize(input.Questions!.Select(q => q.Trim()).Distinct(StringComparer.Ordinal).ToList());
        article.Tags = JsonSerializer.Serialize((input.Tags ?? []).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList());
        article.Language = input.Language!.Trim();
        article.Owner = string.IsNullOrWhiteSpace(input.Owner) ? (article.Owner.Length > 0 ? article.Owner : actor.Length > Limits.Code ? actor[..Limits.Code] : actor) : input.Owner.Trim();
        article.Status = input.Status ?? article.Status;
        article.UpdatedAt = now;
    }

    public static ArticleView View(KnowledgeArticle a) =>
        new(a.Id, a.Title, a.Answer, JsonSerializer.Deserialize<List<string>>(a.Questions) ?? [], JsonSerializer.Deserialize<List<string>>(a.Tags) ?? [], a.Language,
            a.Owner, a.Status, a.Origin, a.TopicId, a.Helped, a.NotHelped, a.Version, a.CreatedAt, a.UpdatedAt);
}
