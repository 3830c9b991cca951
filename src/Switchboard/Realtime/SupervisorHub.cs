using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.Routing;

namespace Switchboard.Realtime;

/// <summary>The supervisor's board: a <c>Routing</c> message with the live queues and agents on connecting and whenever they change (at most once a second).</summary>
public interface ISupervisorClient
{
    Task Routing(RoutingSnapshot snapshot);

    /// <summary>A speech rule asked for a supervisor, or escalated a call (docs/speech.md).</summary>
    Task SpeechAlert(Core.Speech.SpeechAlert alert);
}

/// <summary>
/// <c>/hubs/supervisor</c>. Sends the current board to a supervisor who connects; <see cref="Hosting.RoutingClock"/>
/// sends every change after. Until the security issue adds sign-in, anyone who reaches it can watch (docs/realtime.md).
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Switchboard.Security.Access.Supervise)]
internal sealed class SupervisorHub(RoutingService routing) : Hub<ISupervisorClient>
{
    public override async Task OnConnectedAsync()
    {
        await Clients.Caller.Routing(routing.Snapshot());
        await base.OnConnectedAsync();
    }
}
