using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Switchboard.Data;

namespace Switchboard.Hosting;

/// <summary>
/// WAL checkpoints off the hot path, in the server. SQLite's own checkpoint runs inside whichever commit takes the WAL
/// past 1,000 pages — in a call center often a ring's journal commit, which a screen pop waits for — and copies those
/// pages to the database and flushes it there. With this service registered, connections set
/// <c>wal_autocheckpoint = 0</c> and a PASSIVE checkpoint runs here every <see cref="Interval"/> on its own connection:
/// it takes no write lock, so commits go on while it copies. Only the server registers it (a CLI import or seed keeps
/// SQLite's own checkpoints, having nobody to run these).
/// </summary>
internal sealed partial class SqliteCheckpointer(IOptions<StorageOptions> storage, TimeProvider time, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Checkpoints run, and pages copied to the database by them (for tests and diagnostics).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    public long PagesCopied => Interlocked.Read(ref _pages);

    private long _runs;
    private long _pages;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage.Value.Provider != StorageProvider.Sqlite)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = new SqliteConnection(PersistenceServiceCollectionExtensions.SqliteConnectionString(storage.Value));
                await connection.OpenAsync(stoppingToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await using var reader = await command.ExecuteReaderAsync(stoppingToken);
                if (await reader.ReadAsync(stoppingToken))
                {
                    Interlocked.Add(ref _pages, Math.Max(0, reader.GetInt64(2)));
                }
                Interlocked.Increment(ref _runs);
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
            {
                Log.CheckpointFailed(logger, e.GetType().Name); // the next tick tries again; the WAL only grows meanwhile
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "WAL checkpoint failed ({Error}); tried again in a second")]
        public static partial void CheckpointFailed(ILogger logger, string error);
    }
}
