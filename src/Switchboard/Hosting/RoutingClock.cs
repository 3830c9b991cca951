using Switchboard.Core.Routing;

namespace Switchboard.Hosting;

/// <summary>
/// Loads the routing configuration at start (so desktops' presence reaches routing from the first minute), then lets
/// time act on routing every second: unanswered offers move on, wrap-ups end, waiting calls' targets widen. A store
/// that is down at start does not stop the server: the configuration loads on first use instead.
/// </summary>
internal sealed partial class RoutingClock(RoutingService routing, TimeProvider time, ILogger<RoutingClock> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await routing.GetAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.LoadFailed(logger, e);
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            routing.Tick();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "The routing configuration could not be loaded at start; it loads on first use")]
        public static partial void LoadFailed(ILogger logger, Exception exception);
    }
}
