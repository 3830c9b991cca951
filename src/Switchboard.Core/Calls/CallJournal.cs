using System.Threading.Channels;
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
public sealed partial class CallJournal(IServiceScopeFactory scopes, TimeProvider time, ILogger<CallJournal> logger)
{
    /// <summary>The most events one transaction carries.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _batches;
    private long _events;

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Events committed so far (duplicates of stored events included: they are acknowledged, not stored again).</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Appends one event and returns when it is committed. Fails when the commit fails; the caller must not acknowledge then.</summary>
    public async Task AppendAsync(CallEvent e, CancellationToken cancellationToken)
    {
        var pending = new Pending(e, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The writer loop; runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                try
                {
                    await WriteAsync(batch, stoppingToken);
                    Interlocked.Increment(ref _batches);
                    Interlocked.Add(ref _events, batch.Count);
                    batch.ForEach(p => p.Committed.TrySetResult());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.BatchFailed(logger, e, batch.Count);
                    batch.ForEach(p => p.Committed.TrySetException(e));
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever was not committed is refused, so its sender retries elsewhere or later.
        }
        finally
        {
            batch.ForEach(p => p.Committed.TrySetCanceled(stoppingToken));
            while (_queue.Reader.TryRead(out var left))
            {
                left.Committed.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (StoreKind.IsSqlite(db))
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL;", cancellationToken);
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await using (var inserter = new BulkInserter<CallJournalEntry>(db, transaction.GetDbTransaction(), ignoreDuplicates: true))
            {
                var receivedAt = time.GetUtcNow().UtcDateTime;
                foreach (var pending in batch)
                {
                    await inserter.AddAsync(CallJournalEntry.Of(pending.Event, Ids.New(time), receivedAt), cancellationToken);
                }
                await inserter.FlushAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record Pending(CallEvent Event, TaskCompletionSource Committed);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Call journal batch of {Count} events failed; none acknowledged")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count);
    }
}
