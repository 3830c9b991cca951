using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Audit;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>The audit trail for auditors: <c>/api/v1/audit</c> (filtered pages), <c>/audit/export</c> (CSV) and <c>/audit/verify</c>.</summary>
internal static class AuditApi
{
    public static void MapAudit(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/audit").WithTags("Audit");

        group.MapGet("/", async Task<Results<Ok<AuditPage>, ProblemHttpResult>> (
                    AuditQuery audit, string? actor, Guid? customer, string? call, string? action, DateTime? from, DateTime? to, long? after, int? limit,
                    CancellationToken cancellationToken) =>
                ActionOf(action) is not { IsSuccess: true } parsed ? ActionOf(action).Error!.ToProblem()
                : (await audit.FindAsync(new AuditFilter(actor, customer, call, parsed.Value, from?.ToUniversalTime(), to?.ToUniversalTime(), after, limit), cancellationToken)).ToOk())
            .WithName("ListAuditEntries")
            .WithSummary("Audit entries, oldest first, filtered by actor, customer, call, action and time [from, to); `after` and `next` page by sequence.");

        group.MapGet("/export", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (AuditQuery audit, HttpResponse response, string? actor, Guid? customer,
                string? call, string? action, DateTime? from, DateTime? to, CancellationToken cancellationToken) =>
            {
                if (ActionOf(action) is not { IsSuccess: true } parsed)
                {
                    return ActionOf(action).Error!.ToProblem();
                }
                response.ContentType = "text/csv; charset=utf-8";
                response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
                await using var writer = new StreamWriter(response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                await audit.ExportCsvAsync(new AuditFilter(actor, customer, call, parsed.Value, from?.ToUniversalTime(), to?.ToUniversalTime(), null, null), writer, cancellationToken);
                return TypedResults.Empty;
            })
            .WithName("ExportAuditEntries")
            .WithSummary("The matching entries as CSV (UTF-8 with BOM for spreadsheets); cells a spreadsheet would run as formulas are prefixed with an apostrophe.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");

        group.MapGet("/verify", async (AuditQuery audit, CancellationToken cancellationToken) => TypedResults.Ok(await audit.VerifyAsync(null, cancellationToken)))
            .WithName("VerifyAuditChain").WithSummary("Checks the whole chain; names the first bad entry and why.");
    }

    /// <summary>The action filter as the API writes actions (<c>read</c>, <c>update</c>…), any case; unknown values are a validation error.</summary>
    private static Core.Common.Result<AuditAction?> ActionOf(string? action) =>
        action is null ? (AuditAction?)null
        : Enum.TryParse<AuditAction>(action, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(action, out _) ? parsed
        : Core.Common.Error.Validation("action", $"must be one of {string.Join(", ", Enum.GetNames<AuditAction>().Select(n => n.ToLowerInvariant()))}.");
}
