namespace Switchboard.Core.ScreenPop;

/// <summary>Pushes messages to agents' desktops (implemented over SignalR by the host).</summary>
public interface IAgentNotifier
{
    /// <summary>Sends a pop to every connection of the agent.</summary>
    Task SendScreenPopAsync(string agentId, ScreenPopMessage pop, CancellationToken cancellationToken);
}
