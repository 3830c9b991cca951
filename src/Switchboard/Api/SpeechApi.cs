using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Security;
using Switchboard.Core.Speech;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>Speech rules, the agent's verdict on a card, and the rules' outcomes: <c>/api/v1/speech</c> (docs/speech.md).</summary>
internal static class SpeechApi
{
    public sealed record FeedbackInput(bool? Useful);

    public static void MapSpeech(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/speech").WithTags("Speech");

        group.MapGet("/rules", async (SpeechRuleService rules, HttpResponse response, CancellationToken cancellationToken) =>
            {
                var current = await rules.GetAsync(cancellationToken);
                response.Headers.ETag = $"\"{current.Version}\"";
                return TypedResults.Ok(current);
            })
            .WithName("GetSpeechRules").WithSummary("The speech rules in force and their version (the ETag; 0 before the first save).");

        group.MapPut("/rules", async Task<Results<Ok<SpeechRulesView>, ProblemHttpResult>> (
                    SpeechRuleService rules, SpeechRuleSetDocument document, HttpRequest request, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            {
                var saved = await rules.SaveAsync(document, Versions.IntFromIfMatch(request), user.Identity?.Name ?? "", cancellationToken);
                if (saved.IsSuccess)
                {
                    request.HttpContext.Response.Headers.ETag = $"\"{saved.Value.Version}\"";
                }
                return saved.ToOk();
            })
            .WithName("SaveSpeechRules")
            .WithSummary("Save the speech rules as a new version (If-Match: the version read). Each rule: conditions that must all hold (said, notSaid, near, sentiment, silence, interruptions, facts; by customer/agent/either; first or last N seconds) and actions (script, warning, alertSupervisor, escalate, tag); every problem is named by its path.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/rules/versions", async (SpeechRuleService rules, CancellationToken cancellationToken) => TypedResults.Ok(await rules.VersionsAsync(cancellationToken)))
            .WithName("ListSpeechRuleVersions").WithSummary("The saved versions of the speech rules, newest first (at most 100).");

        group.MapGet("/rules/versions/{version:int}", async Task<Results<Ok<SpeechRulesView>, ProblemHttpResult>> (
                    SpeechRuleService rules, int version, CancellationToken cancellationToken) => (await rules.VersionAsync(version, cancellationToken)).ToOk())
            .WithName("GetSpeechRuleVersion").WithSummary("One saved version of the speech rules.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/rules/test", async Task<Results<Ok<IReadOnlyList<FiringView>>, ProblemHttpResult>> (
                    SpeechRuleService rules, SpeechRuleTest test, CancellationToken cancellationToken) => (await rules.TestAsync(test, cancellationToken)).ToOk())
            .WithName("TestSpeechRules")
            .WithSummary("Run sample segments (and facts) through the given rules, or those in force, and see what would fire and on which words; nothing is written.");

        group.MapPost("/firings/{id:guid}/feedback", async Task<Results<Ok<CallFiringView>, ProblemHttpResult>> (
                    SpeechFirings firings, Guid id, FeedbackInput input, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                (await firings.FeedbackAsync(id, input.Useful, user.Identity?.Name ?? "",
                    user.IsInRole(nameof(Role.Supervisor)) || user.IsInRole(nameof(Role.Manager)) || user.IsInRole(nameof(Role.Admin)), cancellationToken)).ToOk())
            .WithName("GiveCardFeedback").WithSummary("The agent marks a rule's card useful or not (the agent it went to, or a supervisor).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/report", async Task<Results<Ok<IReadOnlyList<RuleOutcomeView>>, ProblemHttpResult>> (
                    SpeechFirings firings, DateTime? from, DateTime? to, CancellationToken cancellationToken) =>
                (await firings.ReportAsync(from?.ToUniversalTime(), to?.ToUniversalTime(), cancellationToken)).ToOk())
            .WithName("SpeechRuleReport").WithSummary("Per rule over a period (default the last 7 days): firings, calls, cards shown, marked useful or not, and how those calls ended.");
    }
}
