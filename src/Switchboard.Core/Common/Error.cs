namespace Switchboard.Core.Common;

/// <summary>
/// An expected failure: a stable machine-readable <see cref="Code"/> (see docs/errors.md), a human message,
/// and for validation failures every offending field with its reasons.
/// </summary>
/// <param name="Kind">The class of failure; decides the HTTP status.</param>
/// <param name="Code">Stable code such as <c>customer.not_found</c>; clients script against it.</param>
/// <param name="Message">A sentence for people. Never carries personal data.</param>
/// <param name="Fields">For <see cref="ErrorKind.Validation"/>: field name (camelCase, dotted for nested) to reasons.</param>
public sealed record Error(
    ErrorKind Kind,
    string Code,
    string Message,
    IReadOnlyDictionary<string, string[]>? Fields = null)
{
    /// <summary>A validation error over one or more fields.</summary>
    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, ErrorCodes.ValidationFailed, "One or more fields are invalid.", fields);

    /// <summary>A validation error over one field.</summary>
    public static Error Validation(string field, string reason) =>
        Validation(new Dictionary<string, string[]> { [field] = [reason] });

    /// <summary>A record of the given type was not found.</summary>
    public static Error NotFound(string entity) =>
        new(ErrorKind.NotFound, $"{entity}.not_found", $"The {entity} was not found.");

    /// <summary>The record changed since the caller read it.</summary>
    public static Error StaleVersion(string entity) =>
        new(ErrorKind.Conflict, ErrorCodes.VersionConflict,
            $"The {entity} was changed by someone else; read it again and retry with its current version.");
}
