using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Security;

/// <summary>
/// The viewer a pop goes to, by agent id: the user of that name and their role, read from the store and kept a minute.
/// An agent with no user (a phone-only agent, a simulation) is seen as <see cref="Role.Agent"/>, the least cleared desk role.
/// </summary>
public sealed class Viewers(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (Viewer Viewer, DateTime Until)> _known = new(StringComparer.Ordinal);

    public async ValueTask<Viewer> OfAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_known.TryGetValue(agentId, out var known) && known.Until > now)
        {
            return known.Viewer;
        }
        await using var scope = scopes.CreateAsyncScope();
        var role = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Users.AsNoTracking()
            .Where(u => u.Name == agentId).Select(u => (Role?)u.Role).FirstOrDefaultAsync(cancellationToken);
        var viewer = new Viewer(agentId, role ?? Role.Agent);
        if (_known.Count >= 10_000)
        {
            _known.Clear();
        }
        _known[agentId] = (viewer, now + Lifetime);
        return viewer;
    }
}
