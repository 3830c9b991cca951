using Microsoft.AspNetCore.SignalR;
using Switchboard.Core.Speech;

namespace Switchboard.Realtime;

/// <summary>Core's <see cref="ISpeechNotifier"/> over SignalR: cards and suggestions to the agent's desktops, alerts to every supervisor's board.</summary>
internal sealed class SignalRSpeechNotifier(IHubContext<AgentHub, IAgentClient> agents, IHubContext<SupervisorHub, ISupervisorClient> supervisors) : ISpeechNotifier
{
    public Task SendCardAsync(string agentId, SpeechCard card, CancellationToken cancellationToken) =>
        agents.Clients.Group(AgentGroups.Of(agentId)).SpeechCard(card);

    public Task SendSuggestionsAsync(string agentId, KnowledgeSuggestions suggestions, CancellationToken cancellationToken) =>
        agents.Clients.Group(AgentGroups.Of(agentId)).KnowledgeSuggestions(suggestions);

    public Task SendAlertAsync(SpeechAlert alert, CancellationToken cancellationToken) =>
        supervisors.Clients.All.SpeechAlert(alert);
}
