using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Switchboard.Core.Persistence;

/// <summary>
/// One queue in the process for SQLite's single write lock, taken before they begin by the writers that commit often:
/// the call journal (every ring waits for its commit), the audit trail's group commit, and held bulk transactions (a
/// sync's page, an import's batch). Meeting in SQLite instead means its busy handler, which sleeps 1, 2, 5, 10 … ms
/// between tries, so a ring's journal commit behind a trail batch went on waiting whole milliseconds after the lock was
/// free; here the next writer is woken the moment the last one commits. Other writers (the API's EF saves) still meet
/// in SQLite, and so do other processes (a CLI import beside the server); PostgreSQL needs no gate. Take it after the
/// audit chain, never before (<see cref="Audit.AuditLog.HoldChainAsync"/>), so the two cannot wait for each other.
/// <para>
/// Bulk writers also leave their WAL checkpoint to it (ADR 0021): SQLite's own checkpoint runs in the commit that
/// takes the log past 1,000 pages, on the writer's thread, with a disk flush before and after; a sync's page or an
/// import's batch, which write thousands of pages, paid it every page or two. A writer that begins with
/// <c>checkpointBehind</c> commits without it, and the gate copies the log back on the thread pool
/// (<see cref="CheckpointBehind"/>) while the writer reads and maps its next batch; its next begin waits for that
/// checkpoint, so the log is copied whole and the next write starts it over (a checkpoint with writes beside it never
/// catches up, and the log would grow without end).
/// </para>
/// </summary>
public sealed partial class SqliteWriteGate(ILogger<SqliteWriteGate>? logger = null) : IDisposable
{
    /// <summary>SQLite's default: the commit that takes the log past 1,000 pages checkpoints it.</summary>
    private const string SqliteOwnCheckpoints = "PRAGMA wal_autocheckpoint = 1000;";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = logger ?? NullLogger<SqliteWriteGate>.Instance;
    private readonly Lock _checkpointLock = new();
    private (DbProviderFactory Factory, string ConnectionString)? _checkpointWanted;
    private bool _checkpointing;
    private volatile bool _checkpointFailed;
    private Task _checkpoint = Task.CompletedTask;

    /// <summary>
    /// Begins a write transaction on <paramref name="db"/>'s open connection, in turn. On SQLite it first sets whether the
    /// commit is flushed to disk (<c>synchronous</c> FULL or NORMAL: a pooled connection keeps what its last user set, so
    /// every writer here says which it needs), then waits for the gate. Dispose the transaction, then the pass.
    /// </summary>
    /// <remarks>
    /// With <paramref name="checkpointBehind"/> (a bulk writer), it first waits for the checkpoint behind the last such
    /// commit, and the commit does not checkpoint: call <see cref="CheckpointBehind"/> after it. Without, SQLite
    /// checkpoints in the commit, as usual.
    /// </remarks>
    public async Task<(Pass Pass, IDbContextTransaction Transaction)> BeginAsync(DbContext db, bool flush, bool checkpointBehind, CancellationToken cancellationToken)
    {
        if (StoreKind.IsSqlite(db))
        {
            if (checkpointBehind)
            {
                await CheckpointedAsync(cancellationToken);
                checkpointBehind = !_checkpointFailed; // after a failed one, the commit checkpoints itself until one succeeds
            }
            // Both settings live on the pooled handle: every writer here says what it needs.
            await db.Database.ExecuteSqlRawAsync((flush, checkpointBehind) switch
            {
                (true, true) => "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;",
                (true, false) => "PRAGMA synchronous = FULL; " + SqliteOwnCheckpoints,
                (false, true) => "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;",
                (false, false) => "PRAGMA synchronous = NORMAL; " + SqliteOwnCheckpoints,
            }, cancellationToken);
        }
        var pass = await EnterAsync(db, cancellationToken);
        try
        {
            return (pass, await db.Database.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            pass.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the gate when <paramref name="db"/> is on SQLite (else passes at once); dispose the result to let the next writer in.</summary>
    public async ValueTask<Pass> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!StoreKind.IsSqlite(db))
        {
            return default;
        }
        await _gate.WaitAsync(cancellationToken);
        return new Pass(_gate);
    }

    /// <summary>
    /// After a commit begun with <c>checkpointBehind</c> (its connection still open): gives the handle SQLite's own
    /// checkpointing back, and checkpoints the log on the thread pool, on a connection of its own.
    /// </summary>
    public void CheckpointBehind(DbContext db)
    {
        if (!StoreKind.IsSqlite(db))
        {
            return;
        }
        db.Database.ExecuteSqlRaw(SqliteOwnCheckpoints);
        var wanted = (DbProviderFactories.GetFactory(db.Database.GetDbConnection())!, db.Database.GetConnectionString()!);
        lock (_checkpointLock)
        {
            _checkpointWanted = wanted;
            if (!_checkpointing)
            {
                _checkpointing = true;
                _checkpoint = Task.Run(CheckpointWhileWantedAsync);
            }
        }
    }

    /// <summary>Returns when no checkpoint behind a bulk commit is running (it never fails: a failed one is logged, and SQLite's own takes over).</summary>
    public Task CheckpointedAsync(CancellationToken cancellationToken) => Volatile.Read(ref _checkpoint).WaitAsync(cancellationToken);

    private async Task CheckpointWhileWantedAsync()
    {
        while (true)
        {
            (DbProviderFactory Factory, string ConnectionString) wanted;
            lock (_checkpointLock)
            {
                if (_checkpointWanted is not { } next)
                {
                    _checkpointing = false;
                    return;
                }
                (wanted, _checkpointWanted) = (next, null);
            }
            try
            {
                await using var connection = wanted.Factory.CreateConnection()!;
                connection.ConnectionString = wanted.ConnectionString;
                await connection.OpenAsync();
                var (log, copied) = await CheckpointAsync(connection);
                if (copied < log)
                {
                    // Pages written meanwhile (a ring's journal, the trail): copied with no writer of ours beside it, so
                    // the next write starts the log over. Short: most of the log is copied already.
                    await _gate.WaitAsync();
                    try
                    {
                        (log, copied) = await CheckpointAsync(connection);
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
                Log.Checkpointed(_logger, copied, log);
                _checkpointFailed = false;
            }
            catch (Exception e)
            {
                // Whatever it was (an I/O error, the store gone), the loop goes on and the waiters are let through: a
                // failure here must not stop the bulk writers, who checkpoint for themselves until one succeeds.
                _checkpointFailed = true;
                Log.CheckpointFailed(_logger, e.GetType().Name, (e as DbException)?.ErrorCode ?? 0);
            }
        }
    }

    /// <summary>A passive checkpoint (it never waits for a lock): how many pages the log holds, and how many of them are copied into the database.</summary>
    private static async Task<(int Log, int Copied)> CheckpointAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt32(1), reader.GetInt32(2)) : (0, 0);
    }

    public void Dispose()
    {
        // A checkpoint still running finishes on its own connection; the gate it may wait for is not taken away under it.
        if (!_checkpoint.Wait(TimeSpan.FromSeconds(10)))
        {
            return;
        }
        _gate.Dispose();
    }

    /// <summary>Held while writing; disposing it lets the next writer in (once).</summary>
    public struct Pass(SemaphoreSlim? gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1821, Level = LogLevel.Debug, Message = "Checkpointed {Copied} of {Pages} WAL pages behind a bulk commit")]
        public static partial void Checkpointed(ILogger logger, int copied, int pages);

        [LoggerMessage(EventId = 1822, Level = LogLevel.Warning, Message = "A checkpoint behind a bulk commit failed ({Exception}, SQLite error {Code}); bulk commits checkpoint themselves until one succeeds")]
        public static partial void CheckpointFailed(ILogger logger, string exception, int code);
    }
}
