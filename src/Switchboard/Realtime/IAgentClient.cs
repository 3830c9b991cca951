using Switchboard.Core.ScreenPop;

namespace Switchboard.Realtime;

/// <summary>The messages an agent's desktop receives on <c>/hubs/agent</c> (docs/realtime.md).</summary>
public interface IAgentClient
{
    /// <summary>A call rings at this agent: who is calling and their context.</summary>
    Task ScreenPop(ScreenPopMessage pop);
}
