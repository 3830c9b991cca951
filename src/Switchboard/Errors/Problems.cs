using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Core.Common;

namespace Switchboard.Errors;

/// <summary>
/// The one mapping from <see cref="Error"/> to RFC 9457 ProblemDetails. Every problem carries a stable
/// <c>code</c> (docs/errors.md) and the request's <c>traceId</c>, and never a stack trace.
/// </summary>
internal static class Problems
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
    };

    public static ProblemDetails From(Error error)
    {
        var problem = new ProblemDetails
        {
            Status = StatusOf(error.Kind),
            Title = TitleOf(error.Kind),
            Detail = error.Message,
            Type = TypeOf(error.Code),
        };
        problem.Extensions["code"] = error.Code;
        if (error.Fields is { Count: > 0 } fields)
        {
            problem.Extensions["errors"] = fields;
        }
        return problem;
    }

    /// <summary>Adds the trace id and, where a framework-made problem has none, a code.</summary>
    public static void Enrich(ProblemDetails problem, HttpContext http)
    {
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
        if (!problem.Extensions.ContainsKey("code"))
        {
            var code = problem.Status switch
            {
                StatusCodes.Status404NotFound => ErrorCodes.RouteNotFound,
                StatusCodes.Status413PayloadTooLarge => ErrorCodes.BodyTooLarge,
                >= 500 => ErrorCodes.Internal,
                _ => "http_" + problem.Status,
            };
            problem.Extensions["code"] = code;
            problem.Type ??= TypeOf(code);
        }
    }

    public static string TypeOf(string code) => "urn:switchboard:error:" + code;

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "The request is not valid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "Conflict.",
        ErrorKind.TooLarge => "The request body is too large.",
        ErrorKind.Unauthorized => "Not authenticated.",
        ErrorKind.Forbidden => "Forbidden.",
        ErrorKind.UnsupportedMediaType => "Unsupported media type.",
        ErrorKind.Unavailable => "A system this depends on is unavailable.",
    };
}
