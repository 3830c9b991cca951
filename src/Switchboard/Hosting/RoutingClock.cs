using Switchboard.Core.Routing;

namespace Switchboard.Hosting;

/// <summary>Lets time act on routing every second: unanswered offers move on, wrap-ups end, waiting calls' targets widen.</summary>
internal sealed class RoutingClock(RoutingService routing, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            routing.Tick();
        }
    }
}
