using System.ComponentModel.DataAnnotations;

namespace Switchboard.Core.Audit;

/// <summary>Settings under <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>Audit reads and changes. Default true; off only to measure what auditing costs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The chain's HMAC key file (at least 32 random bytes), kept outside the database. Default
    /// <c>{Storage:DataDirectory}/audit.key</c>, made on first start; put it on another volume, or give
    /// <see cref="Key"/> from a secret store.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>The key itself, base64 (e.g. from an environment variable); wins over <see cref="KeyFile"/>.</summary>
    public string? Key { get; set; }

    /// <summary>A file outside the database the log appends a checkpoint to (JSON lines), so truncation is caught. Default none.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Entries between checkpoints. Default 10,000.</summary>
    [Range(1, 100_000_000)]
    public int CheckpointEvery { get; set; } = 10_000;
}
