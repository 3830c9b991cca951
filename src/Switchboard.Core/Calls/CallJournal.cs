using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Calls;

/// <summary>
/// The durable call journal with group commit. <see cref="AppendAsync"/> returns once the event is committed;
/// one writer (<see cref="RunAsync"/>, run by the host) takes every event waiting at that moment and commits them
/// in one transaction, so many concurrent appends share one disk flush. On SQLite the writer's transactions are
/// fully synchronous (they survive power loss, unlike the rest of the store's NORMAL mode).
/// </summary>
public sealed partial class CallJournal
{
    /// <summary>The most events one transaction carries.</summary>
    public const int MaxBatch = 512;

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly SqliteWriteGate _gate;
    private readonly GroupCommit<CallEvent> _commit;

    public CallJournal(IServiceScopeFactory scopes, TimeProvider time, ILogger<CallJournal> logger, SqliteWriteGate? gate = null)
    {
        (_scopes, _time, _gate) = (scopes, time, gate ?? new SqliteWriteGate());
        _commit = new GroupCommit<CallEvent>(MaxBatch, 50_000, WriteAsync, (e, count) => Log.BatchFailed(logger, e, count));
    }

    /// <summary>Transactions committed so far.</summary>
    public long Batches => _commit.Batches;

    /// <summary>Events committed so far (duplicates of stored events included: they are acknowledged, not stored again).</summary>
    public long Events => _commit.Items;

    /// <summary>Appends one event and returns when it is committed. Fails when the commit fails; the caller must not acknowledge then.</summary>
    public Task AppendAsync(CallEvent e, CancellationToken cancellationToken) => _commit.AppendAsync(e, cancellationToken);

    /// <summary>The writer loop; runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => _commit.RunAsync(stoppingToken);

    private async Task WriteAsync(IReadOnlyList<CallEvent> batch, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Flushed (every ring waits for it), and queued in-process for SQLite's write lock, not in its busy handler.
            var (pass, transaction) = await _gate.BeginAsync(db, flush: true, checkpointBehind: false, cancellationToken);
            using (pass)
            await using (transaction)
            {
                await using (var inserter = new BulkInserter<CallJournalEntry>(db, transaction.GetDbTransaction(), ignoreDuplicates: true))
                {
                    var receivedAt = _time.GetUtcNow().UtcDateTime;
                    foreach (var e in batch)
                    {
                        await inserter.AddAsync(CallJournalEntry.Of(e, Ids.New(_time), receivedAt), cancellationToken);
                    }
                    await inserter.FlushAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Call journal batch of {Count} events failed; none acknowledged")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count);
    }
}
