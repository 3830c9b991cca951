using System.Threading.Channels;
using Switchboard.Core.Calls;

namespace Switchboard.Core.Routing;

/// <summary>
/// Keeps routing in step with what the telephony side reports for the calls it routed (ids "source/call id", as the
/// Twilio voice webhook routes them): an answer connects the call to its agent; an answer by another agent than the
/// one offered, or the end of the call, takes it out of routing, so no phantom call is offered again.
/// </summary>
public sealed class RoutingCallFollower(CallRegistry calls, RoutingService routing)
{
    private readonly ChannelReader<CallAcceptance> _changes = calls.Subscribe();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in _changes.ReadAllAsync(stoppingToken))
        {
            var id = RoutedCallIds.Of(change.Call.Source, change.Call.SourceCallId);
            switch (change.Transition?.Phase)
            {
                case CallPhase.Ended when routing.Owns(id):
                    await routing.EndAsync(id, stoppingToken);
                    break;
                case CallPhase.Connected when routing.Owns(id):
                    if (change.Call.Agent is not { } agent || await routing.AnswerAsync(id, agent, stoppingToken) is not { IsSuccess: true, Value.Answered: true })
                    {
                        await routing.EndAsync(id, stoppingToken); // answered elsewhere: routing no longer owns it
                    }
                    break;
            }
        }
    }
}
