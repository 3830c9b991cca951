using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Telephony;
using Switchboard.Errors;
using Switchboard.Hosting;

namespace Switchboard.Api;

/// <summary>REST for telephony sources: <c>/api/v1/telephony/sources</c>. Tokens and secrets are shown once, when made.</summary>
internal static class TelephonySourcesApi
{
    public static void MapTelephonySources(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/telephony/sources").WithTags("Telephony sources");
        // A change made here is followed at once (an Asterisk server added is connected without waiting for the poll).
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (!HttpMethods.IsGet(context.HttpContext.Request.Method))
            {
                context.HttpContext.RequestServices.GetRequiredService<AsteriskConnections>().SourcesChanged();
            }
            return result;
        });

        group.MapGet("/", async (TelephonySourceService sources, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sources.ListAsync(cancellationToken)))
            .WithName("ListTelephonySources").WithSummary("Every configured source (without secrets).");

        group.MapPost("/", async Task<Results<Created<TelephonySourceCredentials>, ProblemHttpResult>> (
                    TelephonySourceService sources, TelephonySourceInput input, CancellationToken cancellationToken) =>
                (await sources.CreateAsync(input, cancellationToken)).ToCreated(c => $"/api/v1/telephony/sources/{c.Source.Name}"))
            .WithName("CreateTelephonySource").WithSummary("Add a source; the answer carries its token and signing secret, shown this once.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{name}", async Task<Results<Ok<TelephonySourceView>, ProblemHttpResult>> (
                    TelephonySourceService sources, string name, HttpResponse response, CancellationToken cancellationToken) =>
                {
                    var result = await sources.GetAsync(name, cancellationToken);
                    if (result.IsSuccess)
                    {
                        response.Headers.ETag = $"\"{result.Value.Version}\"";
                    }
                    return result.ToOk();
                })
            .WithName("GetTelephonySource").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{name}", async Task<Results<Ok<TelephonySourceView>, ProblemHttpResult>> (
                    TelephonySourceService sources, string name, TelephonySourceInput input, HttpRequest request, CancellationToken cancellationToken) =>
                (await sources.ReplaceAsync(name, Versions.FromIfMatch(request, input.Version), input, cancellationToken)).ToOk())
            .WithName("ReplaceTelephonySource").WithSummary("Change the default queue, the extension map or whether it is enabled.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{name}/rotate", async Task<Results<Ok<TelephonySourceCredentials>, ProblemHttpResult>> (
                    TelephonySourceService sources, string name, CancellationToken cancellationToken) =>
                (await sources.RotateAsync(name, cancellationToken)).ToOk())
            .WithName("RotateTelephonySourceSecrets").WithSummary("New token and signing secret; the old ones stop working at once.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (
                    TelephonySourceService sources, string name, CancellationToken cancellationToken) =>
                (await sources.DeleteAsync(name, cancellationToken)).ToNoContent())
            .WithName("DeleteTelephonySource").ProducesProblem(StatusCodes.Status404NotFound);
    }
}
