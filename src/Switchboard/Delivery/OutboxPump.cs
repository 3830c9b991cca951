using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;

namespace Switchboard.Delivery;

/// <summary>Settings under <c>Outbox</c>.</summary>
internal sealed class OutboxOptions
{
    /// <summary>How often the router and idle workers look for work when nothing wakes them. Default 200 ms.</summary>
    [System.ComponentModel.DataAnnotations.Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 200;

    /// <summary>Whether this node runs the delivery workers. Default true; on several nodes, set it on one (docs/delivery.md, Limits).</summary>
    public bool Deliver { get; set; } = true;

    /// <summary>Order keys (customers) delivered at once per destination. Default 16.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 256)]
    public int Parallelism { get; set; } = 16;

    /// <summary>The first retry's wait; each later one doubles it (at most an hour), ±50%. Default 5,000 ms.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3_600_000)]
    public int FirstRetryMilliseconds { get; set; } = 5_000;

    /// <summary>The circuit breaker per receiver opens when this share of calls failed… Default 0.5.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>…among at least this many calls… Default 20.</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 100_000)]
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>…within this many seconds. Default 30.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int BreakerSamplingSeconds { get; set; } = 30;

    /// <summary>How long it stays open before a trial call. Default 30 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int BreakerBreakSeconds { get; set; } = 30;

    /// <summary>The longest wait between two attempts of one delivery. Default an hour.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400_000)]
    public int MaxRetryMilliseconds { get; set; } = 3_600_000;

    /// <summary>How long a destination pauses after a Salesforce-style 403 REQUEST_LIMIT_EXCEEDED (which names no wait). Default 60 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int RateLimitPauseSeconds { get; set; } = 60;

    /// <summary>Each request's timeout. Default 10 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Pending deliveries a worker reads at a time. Default 500.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int Batch { get; set; } = 500;
}

/// <summary>
/// Moves the outbox: routes committed messages to their destinations, and runs one worker per webhook, each with its
/// own queue in the store, its own circuit breaker and its own pace, so a slow or dead receiver delays only itself
/// (fault isolation), and never the call handling, which only writes the outbox.
/// </summary>
internal sealed partial class OutboxPump(
    IServiceScopeFactory scopes, OutboxRouter router, OutboxSignal committed, DestinationDirectory directory, DestinationSender sender, DeliveryChannels channels,
    TimeProvider time,
    IOptions<OutboxOptions> options, ILogger<OutboxPump> logger) : BackgroundService
{
    /// <summary>How far before a destination's making a node looks for messages routed without it.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(5);

    /// <summary>How long after its making a destination is caught up on (far longer than any node's directory refresh).</summary>
    private static readonly TimeSpan CatchUpWindow = TimeSpan.FromMinutes(1);

    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly OutboxSignal _routed = new();
    private readonly Dictionary<Guid, (CancellationTokenSource Stop, Task Worker)> _workers = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        var nextRefresh = DateTime.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = committed.Next;
                if (time.GetUtcNow().UtcDateTime >= nextRefresh)
                {
                    await RefreshWorkersAsync(stoppingToken);
                    nextRefresh = time.GetUtcNow().UtcDateTime.AddSeconds(2);
                }
                var routed = 0;
                try
                {
                    routed = await router.RouteAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.RoutingFailed(logger, e);
                }
                if (routed > 0)
                {
                    _routed.Notify();
                }
                if (routed < OutboxRouter.Batch)
                {
                    // Once the directory is loaded, saves route their own messages: the router only polls for stragglers
                    // (and the directory's refresh), instead of querying on every commit.
                    await OutboxSignal.WaitAsync(directory.Enabled is null ? next : Never, poll, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var (stop, _) in _workers.Values)
            {
                await stop.CancelAsync();
            }
            await Task.WhenAll(_workers.Values.Select(w => w.Worker));
            foreach (var (stop, _) in _workers.Values)
            {
                stop.Dispose();
            }
        }
    }

    /// <summary>One worker per enabled webhook: started when it appears, stopped when it is disabled or removed.</summary>
    private async Task RefreshWorkersAsync(CancellationToken stoppingToken)
    {
        List<Guid> enabled;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var destinations = await directory.RefreshAsync(db, stoppingToken);
            enabled = [.. destinations.Select(d => d.Id)];
            var now = time.GetUtcNow();
            foreach (var destination in destinations.Where(d => options.Value.Deliver && !_workers.ContainsKey(d.Id)))
            {
                // Catch-up: what was committed around the destination's making by changes that routed from a directory
                // that did not know it yet (another node's, for up to its refresh interval). Only for a destination made
                // lately, and only that window: an old one was known everywhere long ago, and a restart must not rescan.
                var made = new DateTimeOffset(destination.CreatedAt, TimeSpan.Zero);
                if (made > now - CatchUpWindow)
                {
                    try
                    {
                        await scope.ServiceProvider.GetRequiredService<DestinationService>().ReplayAsync(destination.Kind, destination.Id, null,
                            made - CatchUp, stoppingToken, onlyMissing: true, until: made + CatchUpWindow);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Log.RoutingFailed(logger, e);
                        enabled.Remove(destination.Id); // its worker starts after a catch-up that succeeds (the next refresh)
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RoutingFailed(logger, e);
            return;
        }
        foreach (var id in enabled.Where(id => options.Value.Deliver && !_workers.ContainsKey(id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _workers[id] = (stop, Task.Run(() => WorkAsync(id, stop.Token), CancellationToken.None));
        }
        foreach (var gone in _workers.Keys.Where(id => !enabled.Contains(id)).ToList())
        {
            var (stop, worker) = _workers[gone];
            await stop.CancelAsync();
            await worker;
            stop.Dispose();
            _workers.Remove(gone);
            channels.Forget(gone);
        }
    }

    /// <summary>
    /// What a worker has attempted but not yet written: outcomes by delivery id, and the write in flight. Statuses are
    /// written behind the sends, one write at a time, so a round never waits for the store's writer lock before the
    /// next one starts — on SQLite, where the replica's writers, the audit trail and the router share that lock, that
    /// wait was most of the delivery lag. The next round reads the store and overlays what is not written yet. A crash
    /// before a write sends those messages again (at least once; receivers de-duplicate by the event id).
    /// </summary>
    private sealed class WriteBehind
    {
        public readonly ConcurrentDictionary<long, Outcome> Unsaved = new();
        public Task Writing = Task.CompletedTask;
    }

    /// <summary>A delivery's state after an attempt, as it will be written.</summary>
    private sealed record Outcome(DeliveryStatus Status, int Attempts, DateTime NextAttemptAt, DateTime? DeliveredAt, string? LastError)
    {
        public static Outcome Of(OutboxDelivery d) => new(d.Status, d.Attempts, d.NextAttemptAt, d.DeliveredAt, d.LastError);

        public void ApplyTo(OutboxDelivery d) => (d.Status, d.Attempts, d.NextAttemptAt, d.DeliveredAt, d.LastError) = (Status, Attempts, NextAttemptAt, DeliveredAt, LastError);
    }

    private async Task WorkAsync(Guid destinationId, CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        var behind = new WriteBehind();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = Task.WhenAny(_routed.Next, committed.Next); // routed by the router, or by the change's own save
            try
            {
                if (behind.Unsaved.Count > 4 * options.Value.Batch)
                {
                    await behind.Writing; // the store is far behind: wait for it rather than hold ever more in memory
                }
                if (!await DeliverOnceAsync(destinationId, behind, stoppingToken))
                {
                    await OutboxSignal.WaitAsync(next, poll, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Log.DeliveryFailed(logger, e, destinationId);
                await OutboxSignal.WaitAsync(next, poll, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        await behind.Writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // what was attempted is written before the worker ends
    }

    /// <summary>One round for one destination: every key with a due message gets a lane; returns whether anything was attempted.</summary>
    private async Task<bool> DeliverOnceAsync(Guid destinationId, WriteBehind behind, CancellationToken stoppingToken)
    {
        if (channels.IsPaused(destinationId, time.GetUtcNow().UtcDateTime))
        {
            return false; // rate-limited: the receiver asked us to wait
        }
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var destination = directory.Enabled?.FirstOrDefault(d => d.Id == destinationId)
                ?? await db.Destinations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == destinationId, stoppingToken);
            if (destination is not { Enabled: true })
            {
                await scope.DisposeAsync();
                return false;
            }
            var pending = await db.OutboxDeliveries.Where(d => d.DestinationId == destinationId && d.Status == DeliveryStatus.Pending)
                .OrderBy(d => d.MessageId).Take(options.Value.Batch).ToListAsync(stoppingToken);
            foreach (var delivery in pending)
            {
                if (behind.Unsaved.TryGetValue(delivery.Id, out var unsaved))
                {
                    unsaved.ApplyTo(delivery); // attempted already, not written yet
                }
            }
            var lanes = DeliveryPlan.Lanes(pending, time.GetUtcNow().UtcDateTime);
            if (lanes.Count == 0)
            {
                await scope.DisposeAsync();
                if (!behind.Writing.IsCompleted && pending.Count == options.Value.Batch)
                {
                    await behind.Writing; // a batch of what is written behind: look again once it is
                    return true;
                }
                return false;
            }
            var ids = lanes.SelectMany(l => l).Select(d => d.MessageId).ToList();
            var messages = await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, stoppingToken);
            var recovered = false;
            await Parallel.ForEachAsync(lanes, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = stoppingToken },
                async (lane, cancellationToken) =>
                {
                    foreach (var delivery in lane)
                    {
                        if (channels.IsPaused(destinationId, time.GetUtcNow().UtcDateTime))
                        {
                            break; // another lane hit the rate limit: this one waits too (its message was not tried)
                        }
                        var attempt = await AttemptAsync(destination, messages[delivery.MessageId], cancellationToken);
                        recovered |= attempt.Recovered;
                        var now = time.GetUtcNow().UtcDateTime;
                        if (attempt.Result.RateLimited)
                        {
                            channels.Pause(destinationId, now + attempt.Result.Wait);
                        }
                        DeliveryPlan.Apply(delivery, attempt.Result.Outcome, now, destination.MaxAttempts, Random.Shared.NextDouble(), attempt.Result.Wait, attempt.Result.Error,
                            TimeSpan.FromMilliseconds(options.Value.FirstRetryMilliseconds), TimeSpan.FromMilliseconds(options.Value.MaxRetryMilliseconds));
                        behind.Unsaved[delivery.Id] = Outcome.Of(delivery);
                        if (attempt.Result.Outcome != AttemptOutcome.Delivered)
                        {
                            if (delivery.Status == DeliveryStatus.Dead)
                            {
                                Log.DeadLetter(logger, delivery.MessageId, destinationId, delivery.Attempts);
                                continue; // the key moves on past a dead letter
                            }
                            break; // the rest of this key waits for this one
                        }
                    }
                });
            if (recovered)
            {
                // Back on the primary: what was held for the open circuit drains now, not after each delivery's own wait.
                var now = time.GetUtcNow().UtcDateTime;
                foreach (var held in pending.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt > now))
                {
                    held.NextAttemptAt = now;
                    behind.Unsaved[held.Id] = Outcome.Of(held);
                }
            }
            var written = pending.Where(d => behind.Unsaved.ContainsKey(d.Id)).Select(d => (d.Id, Outcome.Of(d))).ToList();
            behind.Writing = WriteAsync(behind.Writing, scope, db, destinationId, recovered, written, behind);
            return true;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a round's outcomes after the round before it has been written, then forgets them (unless a later round changed them again).</summary>
    private async Task WriteAsync(Task before, AsyncServiceScope scope, SwitchboardDbContext db, Guid destinationId, bool recovered, List<(long Id, Outcome Outcome)> written,
        WriteBehind behind)
    {
        await using var _ = scope;
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            if (recovered)
            {
                var now = time.GetUtcNow().UtcDateTime;
                await db.OutboxDeliveries.Where(d => d.DestinationId == destinationId && d.Status == DeliveryStatus.Pending && d.NextAttemptAt > now)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, now), CancellationToken.None);
            }
            await db.SaveChangesAsync(CancellationToken.None);
            foreach (var (id, outcome) in written)
            {
                ((ICollection<KeyValuePair<long, Outcome>>)behind.Unsaved).Remove(new KeyValuePair<long, Outcome>(id, outcome));
            }
        }
        catch (Exception e)
        {
            // Kept in memory: the next round overlays them again and its write carries them.
            Log.DeliveryFailed(logger, e, destinationId);
        }
    }

    /// <summary>
    /// One attempt at one message: to the primary endpoint, and on to the backup when the primary's circuit is open
    /// (or its trial failed while failed over). A change of channel is alerted.
    /// </summary>
    private async Task<(Attempt Result, bool Recovered)> AttemptAsync(Destination destination, OutboxMessage message, CancellationToken cancellationToken)
    {
        var primary = await sender.SendAsync(destination, message, destination.Url, cancellationToken);
        var result = primary;
        EndpointResult? backup = null;
        if (Failover.TryBackup(channels.Current(destination.Id), primary.Endpoint, destination.BackupUrl is not null))
        {
            result = await sender.SendAsync(destination, message, destination.BackupUrl!, cancellationToken);
            backup = result.Endpoint;
        }
        if (channels.Observe(destination.Id, primary.Endpoint, backup) is not { } change)
        {
            return (result, false);
        }
        var kind = Failover.Alert(change.From, change.To)!;
        var detail = change.To switch
        {
            Channel.Backup => $"The primary endpoint's circuit is open ({primary.Error}); deliveries go to the backup endpoint.",
            Channel.Holding => destination.BackupUrl is null
                ? $"The primary endpoint's circuit is open ({primary.Error}) and there is no backup: deliveries are held, in order, until it recovers."
                : $"Both endpoints' circuits are open ({primary.Error}; {result.Error}): deliveries are held, in order, until one recovers.",
            _ => "The primary endpoint took a delivery again: deliveries go to it, and what was held drains in order.",
        };
        await change.After; // alerts are raised in the order the changes happened, whichever lane saw them
        try
        {
            Log.ChannelChanged(logger, destination.Id, kind, change.From, change.To);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            db.DeliveryAlerts.Add(new DeliveryAlert { DestinationId = destination.Id, Kind = kind, Channel = change.To, At = time.GetUtcNow().UtcDateTime, Detail = detail });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.AlertNotKept(logger, e, destination.Id); // the log line above stands; delivery goes on
        }
        finally
        {
            change.Raised.SetResult();
        }
        return (result, change.To == Channel.Primary);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1700, Level = LogLevel.Error, Message = "Routing the outbox failed; it is tried again")]
        public static partial void RoutingFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1701, Level = LogLevel.Error, Message = "Delivering to destination {Destination} failed; it is tried again")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, Guid destination);

        [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Message {Message} to destination {Destination} is a dead letter after {Attempts} attempts")]
        public static partial void DeadLetter(ILogger logger, long message, Guid destination, int attempts);

        [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "Delivery alert {Kind} for destination {Destination}: channel {From} -> {To}")]
        public static partial void ChannelChanged(ILogger logger, Guid destination, string kind, Channel from, Channel to);

        [LoggerMessage(EventId = 1704, Level = LogLevel.Error, Message = "The delivery alert for destination {Destination} could not be stored")]
        public static partial void AlertNotKept(ILogger logger, Exception exception, Guid destination);
    }
}
