using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>
/// A customer's history in one list, newest first: interactions, orders, tickets and their updates,
/// opportunities and tasks. Each source is read with the same bound and merged, so a page costs one
/// indexed read per source however long the history is.
/// </summary>
internal sealed class TimelineService(SwitchboardDbContext db)
{
    public const int MaxLimit = 200;

    /// <param name="customerId">The customer.</param>
    /// <param name="before">Only entries strictly before this time (the <c>At</c> of the last entry of the previous page).</param>
    /// <param name="limit">Entries per page, 1–200; default 50.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<Result<IReadOnlyList<TimelineEntry>>> GetAsync(Guid customerId, DateTimeOffset? before, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? PageRequest.DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return Error.Validation("limit", $"must be between 1 and {MaxLimit}.");
        }
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Error.NotFound("customer");
        }
        var until = before?.UtcDateTime ?? DateTime.MaxValue;

        var entries = new List<TimelineEntry>();
        entries.AddRange((await db.Interactions.AsNoTracking()
                .Where(e => e.CustomerId == customerId && e.StartedAt < until).OrderByDescending(e => e.StartedAt).Take(take)
                .ToListAsync(cancellationToken))
            .Select(e => new TimelineEntry(Name(e.Kind), e.StartedAt, e.Id, e.Queue ?? Name(e.Kind), e.Summary, null, null,
                e.Outcome is { } outcome ? WireNames.Of(outcome) : WireNames.Of(e.Direction))));
        entries.AddRange((await db.Orders.AsNoTracking()
                .Where(e => e.CustomerId == customerId && e.PlacedAt < until).OrderByDescending(e => e.PlacedAt).Take(take)
                .ToListAsync(cancellationToken))
            .Select(e => new TimelineEntry("order", e.PlacedAt, e.Id, e.Number, null, e.Amount, e.Currency, WireNames.Of(e.Status))));
        entries.AddRange((await db.Tickets.AsNoTracking()
                .Where(e => e.CustomerId == customerId && e.CreatedAt < until).OrderByDescending(e => e.CreatedAt).Take(take)
                .ToListAsync(cancellationToken))
            .Select(e => new TimelineEntry("ticket", e.CreatedAt, e.Id, e.Number, e.Subject, null, null, WireNames.Of(e.Status), e.IsSensitive)));
        entries.AddRange((await (
                    from u in db.TicketUpdates.AsNoTracking()
                    join t in db.Tickets on u.TicketId equals t.Id
                    where t.CustomerId == customerId && u.CreatedAt < until
                    orderby u.CreatedAt descending
                    select new { u.Id, u.CreatedAt, u.Body, t.Number, t.IsSensitive })
                .Take(take).ToListAsync(cancellationToken))
            .Select(u => new TimelineEntry("ticket_update", u.CreatedAt, u.Id, u.Number, Texts.Clip(u.Body, 140), null, null, null, u.IsSensitive)));
        entries.AddRange((await db.Opportunities.AsNoTracking()
                .Where(e => e.CustomerId == customerId && e.CreatedAt < until).OrderByDescending(e => e.CreatedAt).Take(take)
                .ToListAsync(cancellationToken))
            .Select(e => new TimelineEntry("opportunity", e.CreatedAt, e.Id, e.Title, null, e.Amount, e.Currency, WireNames.Of(e.Stage))));
        entries.AddRange((await db.FollowUpTasks.AsNoTracking()
                .Where(e => e.CustomerId == customerId && e.CreatedAt < until).OrderByDescending(e => e.CreatedAt).Take(take)
                .ToListAsync(cancellationToken))
            .Select(e => new TimelineEntry("task", e.CreatedAt, e.Id, e.Title, null, null, null, WireNames.Of(e.Status))));

        return entries.OrderByDescending(e => e.At).ThenByDescending(e => e.RecordId).Take(take).ToList();
    }

    private static string Name(InteractionKind kind) => WireNames.Of(kind);
}
