using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Sync;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>Two-way sync with CRMs (<c>/api/v1/sync</c>): connections, their health, their conflicts; docs/sync.md.</summary>
internal static class SyncApi
{
    public static void MapSync(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/sync/connections").WithTags("Sync");

        group.MapPost("/", async Task<Results<Created<SyncConnectionView>, ProblemHttpResult>> (SyncService sync, SyncConnectionInput input, CancellationToken cancellationToken) =>
                (await sync.CreateAsync(input, cancellationToken)).ToCreated(c => $"/api/v1/sync/connections/{c.Name}"))
            .WithName("CreateSyncConnection")
            .WithSummary("Sync customers both ways with a CRM object (Salesforce or HubSpot REST shapes) through a stored mapping spec: pulled by cursor with an overlap window, "
                + "pushed through the outbox as upserts by Switchboard's id. The credential is never shown again.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", async (SyncService sync, CancellationToken cancellationToken) => TypedResults.Ok(await sync.ListAsync(cancellationToken)))
            .WithName("ListSyncConnections").WithSummary("Every connection with its health.");

        group.MapGet("/{name}", async Task<Results<Ok<SyncConnectionView>, ProblemHttpResult>> (SyncService sync, string name, CancellationToken cancellationToken) =>
                (await sync.GetAsync(name, cancellationToken)).ToOk())
            .WithName("GetSyncConnection")
            .WithSummary("A connection and its health: cursor, lag (p50, p99) and records per second as this node measured them, success rate, counters, pending pushes, last error.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (SyncService sync, string name, CancellationToken cancellationToken) =>
                (await sync.DeleteAsync(name, cancellationToken)).ToNoContent())
            .WithName("DeleteSyncConnection").WithSummary("Stop syncing: the connection, its state and its queue of pushes go; customers and the identity map stay.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{name}/pull", async Task<Results<Accepted, ProblemHttpResult>> (SyncService sync, string name, CancellationToken cancellationToken) =>
                (await sync.PullNowAsync(name, cancellationToken)) is { IsSuccess: false } failed ? failed.Error!.ToProblem() : TypedResults.Accepted($"/api/v1/sync/connections/{name}"))
            .WithName("PullSyncConnection").WithSummary("Ask for a pass now (on the node that pulls).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/conflicts", async Task<Results<Ok<IReadOnlyList<SyncConflictView>>, ProblemHttpResult>> (
                    SyncService sync, string name, long? after, int? limit, CancellationToken cancellationToken) =>
                (await sync.ConflictsAsync(name, after, limit, cancellationToken)).ToOk())
            .WithName("ListSyncConflicts")
            .WithSummary("How each conflict was resolved, oldest first (`after` an id to page): the field, the values (shadow, ours, theirs), the rule (owner or newest) and the winner.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
