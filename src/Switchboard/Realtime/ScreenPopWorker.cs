using Switchboard.Core.ScreenPop;

namespace Switchboard.Realtime;

/// <summary>Runs the screen-pop dispatcher for the life of the server.</summary>
internal sealed class ScreenPopWorker(ScreenPopDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => dispatcher.RunAsync(stoppingToken);
}
