using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.Agents;
using Switchboard.Core.Routing;
using Switchboard.Realtime;

namespace Switchboard.Hosting;

/// <summary>
/// Loads the routing configuration at start (so desktops' presence reaches routing from the first minute), then every
/// second lets time act on routing (unanswered offers move on, wrap-ups end, waiting calls' targets widen) and sends
/// the supervisors' board when it changed; an agent routing set away (offers missed in a row) hears it on their
/// desktop. A store that is down at start does not stop the server: the configuration loads on first use instead.
/// </summary>
internal sealed partial class RoutingClock(
    RoutingService routing, IHubContext<SupervisorHub, ISupervisorClient> supervisors, IHubContext<AgentHub, IAgentClient> desktops,
    AgentPresenceBoard presence, AgentPresenceStore store, TimeProvider time, ILogger<RoutingClock> logger)
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
            foreach (var agent in routing.TakeAgentsSetAway())
            {
                await SetAwayAsync(agent, stoppingToken);
            }
            var snapshot = routing.Snapshot();
            if (snapshot.Version != sent && (snapshot.Waiting.Count > 0 || snapshot.Active.Count > 0 || snapshot.Agents.Count > 0))
            {
                sent = snapshot.Version;
                await supervisors.Clients.All.Routing(snapshot);
            }
        }
    }

    /// <summary>The desktop shows away (the agent says when they are back), and the choice is kept like the agent's own.</summary>
    private async Task SetAwayAsync(string agent, CancellationToken stoppingToken)
    {
        if (presence.Find(agent) is not { Status: not AgentStatus.Offline }
            || routing.Agents().FirstOrDefault(a => a.Id == agent) is not { Status: RoutingAgentStatus.Away })
        {
            return; // no desktop (whoever manages the agent reads GET /api/v1/routing/agents), or they chose again since
        }
        var away = presence.Choose(agent, AgentStatus.Away).Value;
        try
        {
            await store.SaveAsync(away, AgentPresenceStore.Routing, stoppingToken); // kept before the desktop hears it
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PresenceNotKept(logger, e.GetType().Name);
        }
        try
        {
            await desktops.Clients.Group(AgentGroups.Of(agent)).Presence(away);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PresenceNotSent(logger, e.GetType().Name); // the clock goes on; the desktop hears its status on reconnecting
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1470, Level = LogLevel.Warning, Message = "The routing configuration could not be loaded at start; it loads on first use")]
        public static partial void LoadFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1471, Level = LogLevel.Warning, Message = "An agent set away by routing could not be kept in the store ({Error})")]
        public static partial void PresenceNotKept(ILogger logger, string error);

        [LoggerMessage(EventId = 1472, Level = LogLevel.Warning, Message = "An agent set away by routing could not be told on the desktop ({Error})")]
        public static partial void PresenceNotSent(ILogger logger, string error);
    }
}
