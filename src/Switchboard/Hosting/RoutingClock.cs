using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.Routing;
using Switchboard.Realtime;

namespace Switchboard.Hosting;

/// <summary>
/// Loads the routing configuration at start (so desktops' presence reaches routing from the first minute), then every
/// second lets time act on routing (unanswered offers move on, wrap-ups end, waiting calls' targets widen) and sends
/// the supervisors' board when it changed. A store that is down at start does not stop the server: the configuration
/// loads on first use instead.
/// </summary>
internal sealed partial class RoutingClock(RoutingService routing, IHubContext<SupervisorHub, ISupervisorClient> supervisors, TimeProvider time, ILogger<RoutingClock> logger)
    : BackgroundService
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
        var sent = -1L;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            routing.Tick();
            var snapshot = routing.Snapshot();
            if (snapshot.Version != sent && (snapshot.Waiting.Count > 0 || snapshot.Active.Count > 0 || snapshot.Agents.Count > 0))
            {
                sent = snapshot.Version;
                await supervisors.Clients.All.Routing(snapshot);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "The routing configuration could not be loaded at start; it loads on first use")]
        public static partial void LoadFailed(ILogger logger, Exception exception);
    }
}
