namespace Switchboard.Core.Common;

/// <summary>The class of an expected failure; each face maps it once (HTTP status, SOAP fault, CLI exit code).</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed or fails validation (HTTP 400).</summary>
    Validation,

    /// <summary>The record does not exist, or the caller may not know it exists (HTTP 404).</summary>
    NotFound,

    /// <summary>The write lost a race (stale version) or breaks a uniqueness rule (HTTP 409).</summary>
    Conflict,

    /// <summary>The request is well-formed but too large (HTTP 413).</summary>
    TooLarge,
}
