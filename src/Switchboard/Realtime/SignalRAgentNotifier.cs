using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Realtime;

/// <summary>Core's <see cref="IAgentNotifier"/> over SignalR.</summary>
internal sealed class SignalRAgentNotifier(IHubContext<AgentHub, IAgentClient> hub) : IAgentNotifier
{
    public Task SendScreenPopAsync(string agentId, ScreenPopMessage pop, CancellationToken cancellationToken) =>
        hub.Clients.Group(AgentGroups.Of(agentId)).ScreenPop(pop);

    public Task SendWrapUpAsync(string agentId, WrapUpNotice notice, CancellationToken cancellationToken) =>
        hub.Clients.Group(AgentGroups.Of(agentId)).WrapUp(notice);
}
