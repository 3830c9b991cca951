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

    /// <summary>
    /// When a pop's read entry must be committed: false (default), while the pop is sent, and a crash in between is
    /// recovered from the call journal at the next start (<see cref="PopReadRecovery"/>); true, before the pop is sent,
    /// which costs each pop a disk flush (docs/benchmarks.md).
    /// </summary>
    public bool PopReadsBeforeSend { get; set; }

    /// <summary>
    /// How far back from the journal's last event the start looks for rings whose pop read is missing. A crash loses
    /// at most the reads of its last group commit (tens of milliseconds); default 10 s; 0 turns it off.
    /// </summary>
    [Range(0, 3600)]
    public int RecoverPopReadsSeconds { get; set; } = 10;

    /// <summary>Entries between checkpoints. Default 10,000.</summary>
    [Range(1, 100_000_000)]
    public int CheckpointEvery { get; set; } = 10_000;
}
