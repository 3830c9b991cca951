using System.Collections.Concurrent;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Realtime;

/// <summary>Counts open desktop connections per agent, as the hub sees them connect and go.</summary>
internal sealed class ConnectedAgents : IConnectedAgents
{
    private readonly ConcurrentDictionary<string, int> _connections = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Current => _connections.Where(c => c.Value > 0).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();

    public void Connected(string agent) => _connections.AddOrUpdate(agent, 1, (_, n) => n + 1);

    /// <summary>Counts a connection gone; true when it was the agent's last.</summary>
    public bool Disconnected(string agent)
    {
        if (_connections.AddOrUpdate(agent, 0, (_, n) => Math.Max(0, n - 1)) == 0)
        {
            return _connections.TryRemove(new KeyValuePair<string, int>(agent, 0));
        }
        return false;
    }
}
