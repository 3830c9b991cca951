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

    /// <summary>The caller did not prove who it is: no, unknown or wrong credentials, an expired signature (HTTP 401).</summary>
    Unauthorized,

    /// <summary>The caller is known but may not do this (HTTP 403).</summary>
    Forbidden,

    /// <summary>The body is in a format this endpoint does not read (HTTP 415).</summary>
    UnsupportedMediaType,

    /// <summary>A system this depends on (a PBX, a CRM, the store) cannot be reached now; trying later may work (HTTP 503).</summary>
    Unavailable,
}
