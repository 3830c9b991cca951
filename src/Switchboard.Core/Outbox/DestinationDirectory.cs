using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Outbox;

/// <summary>
/// The enabled destinations, held in memory so that a change routes its own outbox message in its own transaction
/// (<see cref="OutboxCapture"/>): no routing step, no second write, between a commit and its delivery. Refreshed when
/// this node makes or removes a destination (before it answers) and every two seconds by the pump (for what other
/// nodes made); until it is first loaded, messages are left to <see cref="OutboxRouter"/>.
/// </summary>
public sealed class DestinationDirectory
{
    private volatile IReadOnlyList<Destination>? _enabled;

    /// <summary>The enabled destinations, or null before the first load.</summary>
    public IReadOnlyList<Destination>? Enabled => _enabled;

    public async Task<IReadOnlyList<Destination>> RefreshAsync(SwitchboardDbContext db, CancellationToken cancellationToken)
    {
        var enabled = await db.Destinations.AsNoTracking().Where(d => d.Enabled).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        _enabled = enabled;
        return enabled;
    }
}
