using Switchboard.Core.Calls;
using Switchboard.Core.Demo;
using Switchboard.Core.Routing;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Speech;

namespace Switchboard.Realtime;

/// <summary>Runs what reacts to calls for the life of the server: screen pops, the timeline entry of each ended call, routing's view of the calls it routed, the speech rules' end of each call, and (in a demo) the call simulator.</summary>
internal sealed class CallReactionsWorker(
    ScreenPopDispatcher pops, CallHistoryWriter history, RoutingCallFollower routing, SpeechAnalytics speech, CallRegistry calls, DemoCallSimulator demo) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(pops.RunAsync(stoppingToken), history.RunAsync(stoppingToken), routing.RunAsync(stoppingToken), speech.RunAsync(calls, stoppingToken),
            demo.RunAsync(stoppingToken));
}
