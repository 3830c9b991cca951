using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Persistence;
using Switchboard.Core.Sync;

namespace Switchboard.Sync;

/// <summary>Settings of the sync pullers (<c>Sync:</c>).</summary>
internal sealed class SyncOptions
{
    /// <summary>Whether this node pulls. Default true; on several nodes, set it on one (no lease per connection yet: docs/sync.md, Limits).</summary>
    public bool Pull { get; set; } = true;

    /// <summary>
    /// How often a look-back over the connection's overlap window begins (records whose transaction committed late, and
    /// tombstones the CRM lists apart: HubSpot's archived records); the first pass of a puller always begins one. It is
    /// read a page per pass, between passes from the cursor (<see cref="LookBack"/>). Default 60 s.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int LookBackSeconds { get; set; } = 60;

    /// <summary>The longest wait after failed passes (they back off from 1 s, doubling). Default 60 s.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3_600)]
    public int MaxBackoffSeconds { get; set; } = 60;
}

/// <summary>
/// Runs a puller per enabled connection: a pass (with a page of a look-back over the overlap window begun on the first
/// and once a minute: <see cref="SyncOptions.LookBackSeconds"/>), then at once another while passes find records
/// (catching up) or a look-back is under way, else
/// a wait of the connection's poll interval or until someone asks for a pass (<c>POST …/pull</c>). A failed pass is
/// counted and its reason kept on the connection (a status and code, never a payload), then retried after a backoff,
/// or after the wait a rate limit asked for. Connections made or removed are picked up within two seconds.
/// </summary>
internal sealed partial class SyncWorker(IServiceScopeFactory scopes, SyncMonitor monitor, TimeProvider time, IOptions<SyncOptions> options, ILogger<SyncWorker> log)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, (Task Loop, CancellationTokenSource Stop)> _pullers = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Pull)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
                    var enabled = await db.SyncConnections.AsNoTracking().Where(c => c.Enabled).Select(c => c.Id).ToListAsync(stoppingToken);
                    foreach (var id in enabled.Where(id => !_pullers.ContainsKey(id)))
                    {
                        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        _pullers[id] = (Task.Run(() => PullLoopAsync(id, stop.Token), CancellationToken.None), stop);
                    }
                    foreach (var gone in _pullers.Keys.Except(enabled).ToList())
                    {
                        if (_pullers.TryRemove(gone, out var puller))
                        {
                            await puller.Stop.CancelAsync();
                            puller.Stop.Dispose();
                        }
                    }
                }
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                LogScanFailed(e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(2), time, CancellationToken.None);
            }
        }
        await Task.WhenAll(_pullers.Values.Select(p => p.Loop));
    }

    private async Task PullLoopAsync(Guid id, CancellationToken cancellationToken)
    {
        var failures = 0;
        var nextLookBack = DateTime.MinValue;
        LookBack? lookBack = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = monitor.WakeTask(id);
            TimeSpan wait;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var runner = scope.ServiceProvider.GetRequiredService<SyncRunner>();
                var now = time.GetUtcNow().UtcDateTime;
                if (lookBack is null && now >= nextLookBack)
                {
                    (lookBack, nextLookBack) = (new LookBack(), now.AddSeconds(options.Value.LookBackSeconds));
                }
                var pass = await runner.PassAsync(id, lookBack, cancellationToken);
                lookBack = lookBack is { Done: true } ? null : lookBack;
                failures = 0;
                if (pass.Records > pass.Duplicates || lookBack is not null)
                {
                    continue; // something new (records only seen again, at the cursor, do not count), or a look-back under way: at once again
                }
                var connection = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SyncConnections.AsNoTracking()
                    .FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
                if (connection is null)
                {
                    return;
                }
                wait = TimeSpan.FromMilliseconds(connection.PollMilliseconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever failed, the puller lives on: a CRM that answers out of shape must not stop the sync until a restart.
                failures++;
                lookBack = lookBack is null ? null : new LookBack(); // begun again from the start (a vendor's page locator may not be read twice)
                var reason = e is SyncRequestException s ? s.Message : e.GetType().Name;
                LogPassFailed(id, reason);
                await RecordFailureAsync(id, reason, CancellationToken.None);
                var backoff = TimeSpan.FromSeconds(Math.Min(options.Value.MaxBackoffSeconds, Math.Pow(2, Math.Min(failures - 1, 12))));
                wait = e is SyncRequestException { Wait: { } asked } && asked > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(asked.Ticks, TimeSpan.FromHours(1).Ticks)) : backoff;
            }
            try
            {
                await Core.Outbox.OutboxSignal.WaitAsync(wake, wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RecordFailureAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var error = reason.Length > 500 ? reason[..500] : reason;
            await db.SyncConnections.Where(c => c.Id == id).ExecuteUpdateAsync(u => u
                .SetProperty(c => c.FailedPasses, c => c.FailedPasses + 1).SetProperty(c => c.LastError, error).SetProperty(c => c.LastPassAt, now), cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogScanFailed(e.GetType().Name);
        }
    }

    [LoggerMessage(1801, LogLevel.Warning, "Sync pass of connection {ConnectionId} failed: {Reason}")]
    private partial void LogPassFailed(Guid connectionId, string reason);

    [LoggerMessage(1802, LogLevel.Warning, "Sync bookkeeping failed: {Error}")]
    private partial void LogScanFailed(string error);
}

/// <summary>The sync pullers and their HTTP client (docs/sync.md).</summary>
internal static class SyncServiceCollectionExtensions
{
    public static IServiceCollection AddSwitchboardSync(this IServiceCollection services)
    {
        services.AddOptions<SyncOptions>().BindConfiguration("Sync").ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(SyncRunner.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHostedService<SyncWorker>();
        return services;
    }
}
