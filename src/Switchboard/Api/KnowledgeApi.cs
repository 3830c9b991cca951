using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Knowledge;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>The knowledge base: articles, search, agents' verdicts, hot topics and learning: <c>/api/v1/knowledge</c> (docs/speech.md).</summary>
internal static class KnowledgeApi
{
    /// <summary>Whether the caller reviews articles (the knowledge.admin roles): only they see drafts, which quote customers' questions.</summary>
    private static bool Reviews(ClaimsPrincipal user) =>
        Security.Access.Roles[Security.Access.KnowledgeAdmin].Any(role => user.IsInRole(role.ToString()));

    public static void MapKnowledge(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/knowledge").WithTags("Knowledge");

        group.MapGet("/articles", async (KnowledgeService articles, ArticleStatus? status, string? language, string? cursor, int? limit, ClaimsPrincipal user,
                    CancellationToken cancellationToken) =>
                TypedResults.Ok(await articles.ListAsync(status, language, cursor, limit, !Reviews(user), cancellationToken)))
            .WithName("ListArticles").WithSummary("Articles, by status (draft, published, retired) and language; keyset pages. Drafts and retired articles only for those who review them (senior agents and up).");

        group.MapGet("/articles/{id:guid}", async Task<Results<Ok<ArticleView>, ProblemHttpResult>> (KnowledgeService articles, Guid id, ClaimsPrincipal user,
                    CancellationToken cancellationToken) =>
                (await articles.GetAsync(id, !Reviews(user), cancellationToken)).ToOk())
            .WithName("GetArticle").WithSummary("One article with its question variants, answer, owner, status and the agents' verdicts.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/articles", async Task<Results<Created<ArticleView>, ProblemHttpResult>> (
                    KnowledgeService articles, ArticleInput input, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                (await articles.CreateAsync(input, user.Identity?.Name ?? "", cancellationToken)).ToCreated(a => $"/api/v1/knowledge/articles/{a.Id}"))
            .WithName("CreateArticle").WithSummary("A new article: question variants (how customers ask), answer, tags, language, owner, status (draft by default; publishing needs an answer).");

        group.MapPut("/articles/{id:guid}", async Task<Results<Ok<ArticleView>, ProblemHttpResult>> (
                    KnowledgeService articles, Guid id, ArticleInput input, HttpRequest request, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            {
                return (await articles.UpdateAsync(id, input, Versions.FromIfMatch(request, null), user.Identity?.Name ?? "", cancellationToken)).ToOk();
            })
            .WithName("UpdateArticle").WithSummary("Change an article (If-Match: the version read): edit, publish, retire. A reviewer publishes a learnt draft this way.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/search", async Task<Results<Ok<IReadOnlyList<ArticleSuggestion>>, ProblemHttpResult>> (
                    KnowledgeService articles, string? q, string? language, int? top, CancellationToken cancellationToken) =>
                (await articles.SearchAsync(q, language, top, cancellationToken)).ToOk())
            .WithName("SearchKnowledge").WithSummary("The best published articles for a question (BM25 over question variants and answers, Chinese and English).");

        group.MapPost("/articles/{id:guid}/feedback", async Task<Results<Ok<ArticleView>, ProblemHttpResult>> (
                    KnowledgeService articles, Guid id, ArticleFeedbackInput input, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                (await articles.FeedbackAsync(id, input, user.Identity?.Name ?? "", cancellationToken)).ToOk())
            .WithName("GiveArticleFeedback").WithSummary("The agent says whether a suggested article helped (optionally on which call); kept and felt by the ranking.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/topics", async Task<Results<Ok<IReadOnlyList<HotTopicView>>, ProblemHttpResult>> (
                    QuestionLearner learner, int? days, string? language, int? top, CancellationToken cancellationToken) =>
                (await learner.HotAsync(days, language, top, cancellationToken)).ToOk())
            .WithName("KnowledgeTopics").WithSummary("Hot topics: customers' questions grouped by topic, how often asked in the last days (default 7) against the days before, by region, with the draft learnt from each.");

        group.MapPost("/topics/learn", async (QuestionLearner learner, CancellationToken cancellationToken) => TypedResults.Ok(await learner.LearnAsync(cancellationToken)))
            .WithName("LearnTopics").WithSummary("Group new customer questions into topics now and draft articles for topics asked often without a good answer (also runs every Knowledge:LearnEveryMinutes).");
    }
}
