using Switchboard.Core.Routing;

namespace Switchboard.Hosting;

/// <summary>Loads the routing configuration at start, then lets time act on routing every second: unanswered offers move on, wrap-ups end, waiting calls' targets widen.</summary>
internal sealed class RoutingClock(RoutingService routing, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await routing.GetAsync(stoppingToken); // load the saved configuration, so desktops' presence reaches routing from the start
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            routing.Tick();
        }
    }
}
