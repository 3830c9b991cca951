using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Microsoft.EntityFrameworkCore;
using Switchboard.Errors;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>REST for a ticket's history: <c>/api/v1/tickets/{id}/updates</c>.</summary>
internal static class TicketUpdatesApi
{
    public static void MapTicketUpdates(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/tickets/{ticketId:guid}/updates").WithTags("Tickets")
            .ForRecord("ticketId", "ticket", (db, id, cancellationToken) =>
                db.Tickets.Where(t => t.Id == id).Select(t => (Guid?)t.CustomerId).FirstOrDefaultAsync(cancellationToken));

        group.MapGet("/", async Task<Results<Ok<Page<TicketUpdateView>>, ProblemHttpResult>> (
                    TicketUpdateService updates, Guid ticketId, string? cursor, int? limit, CancellationToken cancellationToken) =>
                (await updates.ListAsync(ticketId, new PageRequest(cursor, limit), cancellationToken)).ToOk())
            .WithName("ListTicketUpdates").WithSummary("A ticket's updates, oldest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Results<Created<TicketUpdateView>, ProblemHttpResult>> (
                    TicketUpdateService updates, Guid ticketId, TicketUpdateInput input, CancellationToken cancellationToken) =>
                (await updates.AppendAsync(ticketId, input, cancellationToken)).ToCreated(u => $"/api/v1/tickets/{ticketId}/updates"))
            .WithName("AppendTicketUpdate").WithSummary("Append an update to a ticket; the ticket's version moves on.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
