namespace Switchboard.Core.ScreenPop;

/// <summary>Which agents have a desktop connected right now (kept by the real-time hub).</summary>
public interface IConnectedAgents
{
    /// <summary>The agents with at least one open desktop connection.</summary>
    IReadOnlyList<string> Current { get; }
}
