using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.FollowUp;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>Follow-up rules: <c>/api/v1/follow-up/rules</c> (docs/wrap-up.md).</summary>
internal static class FollowUpApi
{
    public static void MapFollowUp(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/follow-up/rules").WithTags("Follow-up");

        group.MapGet("/", async (FollowUpService followUps, HttpResponse response, CancellationToken cancellationToken) =>
            {
                var rules = await followUps.GetAsync(cancellationToken);
                response.Headers.ETag = $"\"{rules.Version}\"";
                return TypedResults.Ok(rules);
            })
            .WithName("GetFollowUpRules").WithSummary("The follow-up rules in force and their version (the ETag; 0 before the first save).");

        group.MapPut("/", async Task<Results<Ok<FollowUpRulesView>, ProblemHttpResult>> (
                    FollowUpService followUps, FollowUpDocument document, HttpRequest request, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            {
                var saved = await followUps.SaveAsync(document, Versions.IntFromIfMatch(request), user.Identity?.Name ?? "", cancellationToken);
                if (saved.IsSuccess)
                {
                    request.HttpContext.Response.Headers.ETag = $"\"{saved.Value.Version}\"";
                }
                return saved.ToOk();
            })
            .WithName("SaveFollowUpRules")
            .WithSummary("Save the follow-up rules as a new version (If-Match: the version read). Conditions are NCalc over disposition, keywords, tier, lifecycle, region, tags, language, openComplaint and mentions('…'); every problem is named by its path.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}
