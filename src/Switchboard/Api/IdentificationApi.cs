using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Identification;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>REST for caller identification: who is this number, and remembering an agent's choice.</summary>
internal static class IdentificationApi
{
    /// <summary>An agent's pick for a number that matched several customers.</summary>
    public sealed record CallerChoiceInput(string? Number, Guid? CustomerId, string? AgentId);

    public static void MapIdentification(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/identify").WithTags("Identification");

        group.MapGet("/", async Task<Results<Ok<CallerIdentification>, ProblemHttpResult>> (
                    CallerIdentifier identifier, string? number, CancellationToken cancellationToken) =>
                number?.Length > 64
                    ? Core.Common.Error.Validation("number", "must be at most 64 characters.").ToProblem()
                    : TypedResults.Ok(await identifier.IdentifyAsync(number, cancellationToken)))
            .WithName("IdentifyCaller")
            .WithSummary("Who is calling from this number: anonymous, unknown, one customer, or several ranked, each with why it matched.");

        group.MapPost("/choices", async Task<Results<NoContent, ProblemHttpResult>> (
                    CallerIdentifier identifier, CallerChoiceInput input, CancellationToken cancellationToken) =>
                input.Number is null || input.CustomerId is null
                    ? Core.Common.Error.Validation(input.Number is null ? "number" : "customerId", "is required.").ToProblem()
                    : (await identifier.RememberAsync(input.Number, input.CustomerId.Value, input.AgentId, cancellationToken)).ToNoContent())
            .WithName("RememberCallerChoice")
            .WithSummary("Remember, for everyone, which customer a shared number belongs to; it ranks first from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
