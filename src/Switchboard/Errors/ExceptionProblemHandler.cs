using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Core.Common;

namespace Switchboard.Errors;

/// <summary>
/// The one place exceptions become HTTP answers. A request the framework could not read (malformed JSON, a
/// value of the wrong type, a body over the limit) is the client's fault and gets a 400 or 413 that names the
/// field; anything else is a 500 with a trace id, logged once, and never a stack trace.
/// </summary>
internal sealed partial class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var error = Classify(exception);
        if (error is null)
        {
            Log.Unhandled(logger, exception, http.Request.Method, http.GetEndpoint()?.DisplayName ?? "(no endpoint)");
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            var internalProblem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal server error.",
                Detail = "An unexpected error occurred; the trace id finds it in the server log.",
                Type = Problems.TypeOf(ErrorCodes.Internal),
            };
            internalProblem.Extensions["code"] = ErrorCodes.Internal;
            return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = internalProblem, Exception = exception });
        }

        var problem = Problems.From(error);
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem });
    }

    private static Error? Classify(Exception exception)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return null;
        }
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Error(ErrorKind.TooLarge, ErrorCodes.BodyTooLarge, "The request body is larger than this server accepts.");
        }
        if (bad.InnerException is JsonException json)
        {
            return JsonProblems.From(json);
        }
        var parameter = ParameterName().Match(bad.Message);
        if (parameter.Success)
        {
            return Error.Validation(parameter.Groups["name"].Value, "has a value of the wrong type or an unknown value.");
        }
        return new Error(ErrorKind.Validation, ErrorCodes.MalformedBody, "The request could not be read: " + bad.Message);
    }

    [GeneratedRegex("""parameter "[^"]*?(?<name>\w+)" from""")]
    private static partial Regex ParameterName();

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Endpoint}")]
        public static partial void Unhandled(ILogger logger, Exception exception, string method, string endpoint);
    }
}
