using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>The append-only history of a ticket. Appending an update also moves the ticket's version.</summary>
internal sealed class TicketUpdateService(SwitchboardDbContext db, TimeProvider time)
{
    public async Task<Result<TicketUpdateView>> AppendAsync(Guid ticketId, TicketUpdateInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("author", input.Author, Limits.Code);
        errors.Required("body", input.Body, Limits.Body);
        if (errors.Any)
        {
            return errors.ToError();
        }
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return Error.NotFound("ticket");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var update = new TicketUpdate
        {
            Id = Ids.New(time), TicketId = ticketId, Author = input.Author!.Trim(), Body = input.Body!,
            IsInternal = input.IsInternal ?? false, CreatedAt = now, UpdatedAt = now,
        };
        db.TicketUpdates.Add(update);
        RecordChanges.Bump(db, ticket, ticket.Version, time);
        return await RecordChanges.SaveAsync(db, "ticket", cancellationToken) is { } error ? error : ToView(update, ticket);
    }

    public async Task<Result<Page<TicketUpdateView>>> ListAsync(Guid ticketId, PageRequest page, CancellationToken cancellationToken)
    {
        var resolved = page.Resolve();
        if (!resolved.IsSuccess)
        {
            return resolved.Error;
        }
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return Error.NotFound("ticket");
        }
        var (after, limit) = resolved.Value;
        var query = db.TicketUpdates.AsNoTracking().Where(u => u.TicketId == ticketId);
        if (after is { } last)
        {
            query = query.Where(u => u.Id.CompareTo(last) > 0);
        }
        var rows = await query.OrderBy(u => u.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(limit).ToList();
        return new Page<TicketUpdateView>(items.Select(u => ToView(u, ticket)).ToList(), rows.Count > limit ? Cursor.Encode(items[^1].Id) : null);
    }

    private static TicketUpdateView ToView(TicketUpdate u, Ticket ticket) =>
        new(u.Id, u.TicketId, ticket.CustomerId, u.Author, u.Body, u.IsInternal, ticket.IsSensitive, u.CreatedAt);
}
