using System.Collections.Frozen;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Security;

/// <summary>
/// The viewer a pop goes to, by agent id: the user of that name and their role. Users are few, and a pop must not wait
/// for the store, so every user's role is held in memory: loaded on first use, then refreshed in the background when
/// older than <see cref="Lifetime"/> (a pop meanwhile uses the last snapshot). An agent with no user (a phone-only
/// agent, a simulation) is seen as <see cref="Role.Agent"/>, the least cleared desk role.
/// </summary>
public sealed class Viewers(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(FrozenDictionary<string, Role> Roles, DateTime LoadedAt);

    public async ValueTask<Viewer> OfAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot ?? await LoadAsync(cancellationToken);
        if (time.GetUtcNow().UtcDateTime - snapshot.LoadedAt > Lifetime && _loading.CurrentCount > 0)
        {
            _ = Task.Run(RefreshAsync, CancellationToken.None); // the next pops see it
        }
        return new Viewer(agentId, snapshot.Roles.TryGetValue(agentId, out var role) ? role : Role.Agent);
    }

    public void Dispose() => _loading.Dispose();

    private async Task RefreshAsync()
    {
        try
        {
            await LoadAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or DbException)
        {
            // Shutting down, or the store is away for a moment: the last snapshot serves until the next try.
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } fresh && time.GetUtcNow().UtcDateTime - fresh.LoadedAt <= Lifetime)
            {
                return fresh;
            }
            await using var scope = scopes.CreateAsyncScope();
            var users = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Users.AsNoTracking()
                .Select(u => new { u.Name, u.Role }).ToListAsync(cancellationToken);
            return _snapshot = new Snapshot(users.ToFrozenDictionary(u => u.Name, u => u.Role, StringComparer.Ordinal), time.GetUtcNow().UtcDateTime);
        }
        finally
        {
            _loading.Release();
        }
    }
}
