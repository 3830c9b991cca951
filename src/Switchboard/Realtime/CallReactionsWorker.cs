using Switchboard.Core.Calls;
using Switchboard.Core.Demo;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Realtime;

/// <summary>Runs what reacts to calls for the life of the server: screen pops, the timeline entry of each ended call, and (in a demo) the call simulator.</summary>
internal sealed class CallReactionsWorker(ScreenPopDispatcher pops, CallHistoryWriter history, DemoCallSimulator demo) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(pops.RunAsync(stoppingToken), history.RunAsync(stoppingToken), demo.RunAsync(stoppingToken));
}
