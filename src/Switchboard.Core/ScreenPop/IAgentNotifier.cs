namespace Switchboard.Core.ScreenPop;

/// <summary>Pushes messages to agents' desktops (implemented over SignalR by the host).</summary>
public interface IAgentNotifier
{
    /// <summary>Sends a pop to every connection of the agent.</summary>
    Task SendScreenPopAsync(string agentId, ScreenPopMessage pop, CancellationToken cancellationToken);

    /// <summary>Tells the agent a call they answered has ended: time to wrap it up.</summary>
    Task SendWrapUpAsync(string agentId, WrapUpNotice notice, CancellationToken cancellationToken);
}

/// <summary>A call the agent answered has ended; the desktop opens its wrap-up (GET /api/v1/calls/{source}/{callId}/wrap-up).</summary>
public sealed record WrapUpNotice(string Source, string CallId, DateTime EndedAt);
