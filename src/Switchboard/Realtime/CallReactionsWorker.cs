using Switchboard.Core.Calls;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Realtime;

/// <summary>Runs what reacts to calls for the life of the server: screen pops, and the timeline entry of each ended call.</summary>
internal sealed class CallReactionsWorker(ScreenPopDispatcher pops, CallHistoryWriter history) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(pops.RunAsync(stoppingToken), history.RunAsync(stoppingToken));
}
