using System.Text.Json;
using Switchboard.Core.Common;

namespace Switchboard.Errors;

/// <summary>What a JSON reading failure tells the client: the field of a wrongly typed value, or a body that is not JSON.</summary>
internal static class JsonProblems
{
    public static Error From(JsonException json)
    {
        // A value of the wrong type names its field; broken syntax (truncated, not JSON at all) is the whole body's fault.
        var field = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ? FieldOf(json.Path) : null;
        return field is null
            ? new Error(ErrorKind.Validation, ErrorCodes.MalformedBody, "The request body is not valid JSON.")
            : new Error(ErrorKind.Validation, ErrorCodes.ValidationFailed, "One or more fields are invalid.",
                new Dictionary<string, string[]> { [field] = ["has a value of the wrong type or an unknown value."] });
    }

    /// <summary>"$.contactPoints[0].kind" becomes "contactPoints[0].kind"; "$" (the whole body) becomes null.</summary>
    private static string? FieldOf(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
