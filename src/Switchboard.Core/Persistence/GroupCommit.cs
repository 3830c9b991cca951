using System.Threading.Channels;

namespace Switchboard.Core.Persistence;

/// <summary>
/// Group commit: <see cref="AppendAsync"/> returns once its item is committed; one writer (<see cref="RunAsync"/>)
/// takes every item waiting at that moment (up to <paramref name="maxBatch"/>) and commits them with one call to
/// <paramref name="write"/>, so many concurrent appends share one transaction and one disk flush. A failed write
/// fails every append of its batch (none is acknowledged); stopping refuses what was not committed. With a
/// <paramref name="linger"/>, a batch of items none of which is urgent waits up to that long for more before it is
/// written: fewer, larger commits, for appenders that do not wait on them (the store's writer lock is held less often).
/// </summary>
/// <typeparam name="T">What is appended.</typeparam>
internal sealed class GroupCommit<T>(
    int maxBatch, int capacity, Func<IReadOnlyList<T>, CancellationToken, Task> write, Action<Exception, int> failed,
    TimeSpan linger = default, Func<T, bool>? urgent = null)
{
    private readonly Channel<(T Item, TaskCompletionSource Committed)> _queue = Channel.CreateBounded<(T, TaskCompletionSource)>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _batches;
    private long _items;

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Items committed so far.</summary>
    public long Items => Interlocked.Read(ref _items);

    public async Task AppendAsync(T item, CancellationToken cancellationToken)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync((item, committed), cancellationToken);
        await committed.Task.WaitAsync(cancellationToken);
    }

    private void Drain(List<(T Item, TaskCompletionSource Committed)> batch, List<T> items)
    {
        while (batch.Count < maxBatch && _queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
            items.Add(pending.Item);
        }
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(T Item, TaskCompletionSource Committed)>(maxBatch);
        var items = new List<T>(maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Drain(batch, items);
                if (linger > TimeSpan.Zero && urgent is not null)
                {
                    using var lingering = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    lingering.CancelAfter(linger);
                    while (batch.Count < maxBatch && !items.Any(urgent))
                    {
                        try
                        {
                            if (!await _queue.Reader.WaitToReadAsync(lingering.Token))
                            {
                                break;
                            }
                        }
                        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                        {
                            break; // lingered long enough
                        }
                        Drain(batch, items);
                    }
                }
                try
                {
                    await write(items, stoppingToken);
                    Interlocked.Increment(ref _batches);
                    Interlocked.Add(ref _items, batch.Count);
                    batch.ForEach(p => p.Committed.TrySetResult());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed(e, batch.Count);
                    batch.ForEach(p => p.Committed.TrySetException(e));
                }
                batch.Clear();
                items.Clear();
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
}
