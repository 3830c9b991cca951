using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Common;
using Switchboard.Core.Mapping;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>Mapping specs: <c>/api/v1/mappings</c> (docs/mapping.md).</summary>
internal static class MappingsApi
{
    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    public static void MapMappings(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/mappings").WithTags("Mappings");

        group.MapPut("/{name}", async (HttpContext http, MappingService mappings, string name, CancellationToken cancellationToken) =>
            {
                var type = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
                if (type != "application/json" && !YamlTypes.Contains(type))
                {
                    await new Error(ErrorKind.Validation, ErrorCodes.ValidationFailed, "Send the spec as application/json or application/yaml.",
                        new Dictionary<string, string[]> { ["contentType"] = ["must be application/json or application/yaml."] }).ToProblem().ExecuteAsync(http);
                    return;
                }
                using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var text = await reader.ReadToEndAsync(cancellationToken);
                var saved = await mappings.SaveAsync(name, text, yaml: type != "application/json", cancellationToken);
                await (saved.IsSuccess ? TypedResults.Ok(saved.Value) : (IResult)saved.Error!.ToProblem()).ExecuteAsync(http);
            })
            .WithName("SaveMapping")
            .WithSummary("Store a mapping spec (JSON or YAML) as the next version of its name, after checking it: every problem is named with its field. The same document again makes no new version.")
            .Accepts<MappingDocument>("application/json", "application/yaml")
            .Produces<MappingVersionView>()
            .ProducesValidationProblem();

        group.MapGet("/", async (MappingService mappings, CancellationToken cancellationToken) => TypedResults.Ok(await mappings.ListAsync(cancellationToken)))
            .WithName("ListMappings").WithSummary("The latest version of every mapping spec.");

        group.MapGet("/{name}", async Task<Results<Ok<MappingVersionView>, ProblemHttpResult>> (MappingService mappings, string name, int? version, CancellationToken cancellationToken) =>
                (await mappings.GetAsync(name, version, cancellationToken)).ToOk())
            .WithName("GetMapping").WithSummary("A mapping spec: its latest version, or `version`.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/dry-run", async Task<Results<Ok<DryRunResult>, ProblemHttpResult>> (MappingService mappings, DryRunInput input, CancellationToken cancellationToken) =>
                (await mappings.DryRunAsync(input, cancellationToken)).ToOk())
            .WithName("DryRunMapping")
            .WithSummary("Map up to 1,000 records with a stored spec (`name`, `version`) or an inline `document` (a JSON object, or YAML as a string), and compare them "
                + "with what is stored: each record's action (create, update, unchanged, quarantine), its values, errors and changed fields. Nothing is written.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
