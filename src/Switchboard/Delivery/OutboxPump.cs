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
    IServiceScopeFactory scopes, OutboxRouter router, OutboxSignal committed, DestinationSender sender, DeliveryChannels channels, TimeProvider time,
    IOptions<OutboxOptions> options, ILogger<OutboxPump> logger) : BackgroundService
{
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
                    await OutboxSignal.WaitAsync(next, poll, time, stoppingToken);
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
            enabled = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Destinations.AsNoTracking()
                .Where(s => s.Enabled).Select(s => s.Id).ToListAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RoutingFailed(logger, e);
            return;
        }
        foreach (var id in enabled.Where(id => !_workers.ContainsKey(id)))
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

    private async Task WorkAsync(Guid destinationId, CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = _routed.Next;
            try
            {
                if (!await DeliverOnceAsync(destinationId, stoppingToken))
                {
                    await OutboxSignal.WaitAsync(next, poll, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.DeliveryFailed(logger, e, destinationId);
                await OutboxSignal.WaitAsync(next, poll, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One round for one destination: every key with a due message gets a lane; returns whether anything was attempted.</summary>
    private async Task<bool> DeliverOnceAsync(Guid destinationId, CancellationToken stoppingToken)
    {
        if (channels.IsPaused(destinationId, time.GetUtcNow().UtcDateTime))
        {
            return false; // rate-limited: the receiver asked us to wait
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var destination = await db.Destinations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == destinationId, stoppingToken);
        if (destination is not { Enabled: true })
        {
            return false;
        }
        var pending = await db.OutboxDeliveries.Where(d => d.DestinationId == destinationId && d.Status == DeliveryStatus.Pending)
            .OrderBy(d => d.MessageId).Take(options.Value.Batch).ToListAsync(stoppingToken);
        var lanes = DeliveryPlan.Lanes(pending, time.GetUtcNow().UtcDateTime);
        if (lanes.Count == 0)
        {
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
            }
            await db.OutboxDeliveries.Where(d => d.DestinationId == destinationId && d.Status == DeliveryStatus.Pending && d.NextAttemptAt > now)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, now), CancellationToken.None);
        }
        // A crash before this save delivers these again (at least once); receivers de-duplicate by the event id.
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
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
        Log.ChannelChanged(logger, destination.Id, kind, change.From, change.To);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            db.DeliveryAlerts.Add(new DeliveryAlert { DestinationId = destination.Id, Kind = kind, Channel = change.To, At = time.GetUtcNow().UtcDateTime, Detail = detail });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.AlertNotKept(logger, e, destination.Id); // the log line above stands; delivery goes on
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
