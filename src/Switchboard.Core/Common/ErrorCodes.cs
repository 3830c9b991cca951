namespace Switchboard.Core.Common;

/// <summary>The catalogue of error codes that are not derived from an entity name. Listed in docs/errors.md.</summary>
public static class ErrorCodes
{
    /// <summary>A field failed validation; <see cref="Error.Fields"/> names it.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>The request body is not well-formed JSON or has the wrong shape.</summary>
    public const string MalformedBody = "malformed_body";

    /// <summary>The request body is larger than <c>Api:MaxRequestBodyBytes</c>.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>The record's version does not match: someone changed it first.</summary>
    public const string VersionConflict = "version_conflict";

    /// <summary>A unique key (an external id, an order number) is already taken.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The record is not in a state that allows it (a candidate decided already, a merge undone already, a person merged with a company).</summary>
    public const string Conflict = "state_conflict";

    /// <summary>No route matches the request.</summary>
    public const string RouteNotFound = "route_not_found";

    /// <summary>An unexpected failure; the trace id finds it in the logs.</summary>
    public const string Internal = "internal_error";
}
