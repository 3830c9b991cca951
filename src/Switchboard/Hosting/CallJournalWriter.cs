using Microsoft.Extensions.Options;
using Switchboard.Core.Calls;
using Switchboard.Core.Persistence;

namespace Switchboard.Hosting;

/// <summary>
/// Runs the journal's group-commit writer and, beside it, rebuilds the live calls from the journal: retried until
/// the store answers, so a server whose store is down starts (and reports not ready) instead of crashing. Events
/// accepted meanwhile are not lost: the rebuild merges into the live calls (a call's state is a join of its events).
/// </summary>
internal sealed partial class CallJournalWriter(
    CallJournal journal, CallRegistry registry, IServiceScopeFactory scopes, TimeProvider time,
    IOptions<CallsOptions> options, ILogger<CallJournalWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writer = journal.RunAsync(stoppingToken);
        await RebuildAsync(stoppingToken);
        await Task.WhenAll(writer, EvictAsync(stoppingToken));
    }

    /// <summary>Once a minute, forgets calls that ended more than <c>Calls:KeepEndedMinutes</c> ago.</summary>
    private async Task EvictAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                registry.EvictEnded(TimeSpan.FromMinutes(options.Value.KeepEndedMinutes));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RebuildAsync(CancellationToken stoppingToken)
    {
        var hours = options.Value.RebuildWindowHours;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var since = time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(hours);
                var calls = await registry.RebuildAsync(scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>(), since, stoppingToken);
                Log.Rebuilt(logger, calls, hours);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt)));
                Log.RebuildFailed(logger, e.GetType().Name, attempt, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Rebuilt {Count} calls from the journal of the last {Hours} hours")]
        public static partial void Rebuilt(ILogger logger, int count, int hours);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Rebuilding calls from the journal failed ({Error}), attempt {Attempt}; retrying in {Seconds} s")]
        public static partial void RebuildFailed(ILogger logger, string error, int attempt, double seconds);
    }
}
