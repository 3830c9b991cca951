using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Outbox;

/// <summary>
/// Gives each committed message to every destination that wants it: one <see cref="OutboxDelivery"/> per message and
/// destination, and the message marked routed, in one transaction. Messages are taken by "not routed yet", never by
/// "after the last id seen", so a transaction that took a smaller id but committed later (PostgreSQL) is not skipped.
/// Most messages are routed by the save that writes them (<see cref="OutboxCapture"/>, from the
/// <see cref="DestinationDirectory"/>); this routes the rest: those written before the directory was first loaded.
/// A destination made later gets what is committed from then on; older messages reach it by replay.
/// </summary>
public sealed class OutboxRouter(IServiceScopeFactory scopes, TimeProvider time)
{
    public const int Batch = 1_000;

    /// <summary>Routes up to <see cref="Batch"/> messages; returns how many.</summary>
    public async Task<int> RouteAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var messages = await db.OutboxMessages.Where(m => m.RoutedAt == null).OrderBy(m => m.Id).Take(Batch).ToListAsync(cancellationToken);
        if (messages.Count == 0)
        {
            return 0;
        }
        var destinations = await db.Destinations.AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var message in messages)
        {
            db.OutboxDeliveries.AddRange(OutboxCapture.Route(message, destinations, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        return messages.Count;
    }
}
