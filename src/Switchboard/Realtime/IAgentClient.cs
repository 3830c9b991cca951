using Switchboard.Core.Agents;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Speech;

namespace Switchboard.Realtime;

/// <summary>The messages an agent's desktop receives on <c>/hubs/agent</c> (docs/realtime.md).</summary>
public interface IAgentClient
{
    /// <summary>A call rings at this agent: who is calling and their context.</summary>
    Task ScreenPop(ScreenPopMessage pop);

    /// <summary>A call this agent answered has ended: open its wrap-up.</summary>
    Task WrapUp(WrapUpNotice notice);

    /// <summary>A speech rule fired on this agent's call: a script, a warning, or an escalation with its suggested transfer (docs/speech.md).</summary>
    Task SpeechCard(SpeechCard card);

    /// <summary>The knowledge base's best articles for what the customer is asking now (refreshed as the conversation moves).</summary>
    Task KnowledgeSuggestions(KnowledgeSuggestions suggestions);

    /// <summary>The agent's status changed (sent to all of that agent's desktops, so two tabs agree).</summary>
    Task Presence(AgentPresence presence);
}
