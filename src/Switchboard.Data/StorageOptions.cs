using System.ComponentModel.DataAnnotations;

namespace Switchboard.Data;

/// <summary>The store providers Switchboard runs on.</summary>
public enum StorageProvider
{
    /// <summary>Embedded default: one file in the data directory.</summary>
    Sqlite,

    /// <summary>PostgreSQL server, for larger centers and several nodes.</summary>
    Postgres,
}

/// <summary>Host settings under <c>Storage</c>; the connection string is <c>ConnectionStrings:Switchboard</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>Which store to use. Default <see cref="StorageProvider.Sqlite"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Where the SQLite file lives when no connection string is given. Default <c>./data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations when the server starts. Default true.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// The connection string (bound from <c>ConnectionStrings:Switchboard</c>). Required for PostgreSQL;
    /// for SQLite, default <c>Data Source={DataDirectory}/switchboard.db</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long (seconds) SQLite waits for the write lock before failing. Default 5.</summary>
    [Range(0, 600)]
    public int BusyTimeoutSeconds { get; set; } = 5;
}
