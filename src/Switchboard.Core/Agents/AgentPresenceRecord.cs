using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Agents;

/// <summary>
/// An agent's last chosen presence, kept so a restart of the server does not change it: the status and since when,
/// who set it (<c>desktop</c>, <c>api</c>, or <c>routing</c> after missed offers), and whether a desktop of theirs
/// was connected when last heard of (a restart keeps that; closing the desktop clears it, so a new sign-in starts away).
/// </summary>
public sealed class AgentPresenceRecord
{
    public string AgentId { get; set; } = "";

    public AgentStatus Status { get; set; }

    public DateTime Since { get; set; }

    public string SetBy { get; set; } = "";

    public bool Connected { get; set; }
}

/// <summary>Reads and writes <see cref="AgentPresenceRecord"/>s: one row per agent, written only when presence changes.</summary>
public sealed class AgentPresenceStore(IServiceScopeFactory scopes)
{
    public const string Desktop = "desktop";
    public const string Api = "api";
    public const string Routing = "routing";

    /// <summary>Keeps the status an agent (or the API, or routing) chose.</summary>
    public Task SaveAsync(AgentPresence presence, string setBy, CancellationToken cancellationToken) =>
        UpsertAsync(presence.AgentId, record =>
        {
            (record.Status, record.Since, record.SetBy) = (presence.Status, presence.Since, setBy);
            record.Connected = setBy != Api || presence.Status != AgentStatus.Offline;
        }, cancellationToken);

    /// <summary>A desktop of theirs connected (with the status it has now), or their last one closed.</summary>
    public Task SetConnectedAsync(AgentPresence presence, bool connected, CancellationToken cancellationToken) =>
        UpsertAsync(presence.AgentId, record =>
        {
            record.Connected = connected;
            if (connected)
            {
                (record.Status, record.Since, record.SetBy) = (presence.Status, presence.Since, Desktop);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<AgentPresenceRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().AgentPresences.AsNoTracking().ToListAsync(cancellationToken);
    }

    private async Task UpsertAsync(string agentId, Action<AgentPresenceRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var record = await db.AgentPresences.FirstOrDefaultAsync(r => r.AgentId == agentId, cancellationToken);
            if (record is null)
            {
                record = new AgentPresenceRecord { AgentId = agentId };
                db.AgentPresences.Add(record);
            }
            change(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Two desktops of one agent inserted the row at once: the second time it exists, and is updated.
            }
        }
    }
}
