using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Dedup;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>De-duplication of customers (<c>/api/v1/dedup</c>): scans, the review queue, merges and their undo; docs/dedup.md.</summary>
internal static class DedupApi
{
    /// <summary>A scan to run: whether sure pairs merge at once, and the thresholds in bits (defaults 14 and 8).</summary>
    public sealed record ScanInput(bool? AutoMerge, double? Merge, double? Review);

    /// <summary>A decision on a candidate: merge (into <c>survivor</c>, else the first customer) or reject.</summary>
    public sealed record DecisionInput(bool Merge, Guid? Survivor);

    public static void MapDedup(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/dedup").WithTags("De-duplication");

        group.MapPost("/scans", async Task<Results<Ok<ScanSummary>, ProblemHttpResult>> (DedupService dedup, ScanInput? input, CancellationToken cancellationToken) =>
                (await dedup.ScanAsync(input?.AutoMerge ?? false, new DedupThresholds(input?.Merge ?? 14, input?.Review ?? 8), cancellationToken)).ToOk())
            .WithName("ScanForDuplicates")
            .WithSummary("Score every candidate pair of customers (blocking by phone, email and name; Fellegi–Sunter weights): pairs at or above the merge threshold "
                + "merge at once when autoMerge, else they join the review queue with the pairs between the thresholds. Pairs found before are not found again.");

        group.MapGet("/candidates", async Task<Results<Ok<IReadOnlyList<CandidateView>>, ProblemHttpResult>> (
                    DedupService dedup, string? status, long? after, int? limit, CancellationToken cancellationToken) =>
                status is not null && !Enum.TryParse<CandidateStatus>(status, ignoreCase: true, out _) || int.TryParse(status, out _)
                    ? Core.Common.Error.Validation("status", "must be open, merged or rejected.").ToProblem()
                    : (await dedup.CandidatesAsync(status is null ? null : Enum.Parse<CandidateStatus>(status, ignoreCase: true), after, limit, cancellationToken)).ToOk())
            .WithName("ListDuplicateCandidates").WithSummary("The review queue (status open), or decided pairs: ids, score and each field's weight; no customer data.");

        group.MapPost("/candidates/{id}/decision", async Task<Results<Ok<CandidateView>, ProblemHttpResult>> (
                    DedupService dedup, long id, DecisionInput input, CancellationToken cancellationToken) =>
                (await dedup.DecideAsync(id, input.Merge, input.Survivor, cancellationToken)).ToOk())
            .WithName("DecideDuplicateCandidate").WithSummary("Merge the pair (into survivor, else the first) or reject it. A merge is audited record by record and can be undone.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/merges", async Task<Results<Ok<IReadOnlyList<MergeView>>, ProblemHttpResult>> (DedupService dedup, int? limit, CancellationToken cancellationToken) =>
                (await dedup.MergesAsync(limit, cancellationToken)).ToOk())
            .WithName("ListMerges").WithSummary("Merges, newest first: who stayed, who was merged, how many records moved, by whom; undone or not.");

        group.MapPost("/merges/{id:guid}/undo", async Task<Results<Ok<MergeView>, ProblemHttpResult>> (DedupService dedup, Guid id, CancellationToken cancellationToken) =>
                (await dedup.UndoAsync(id, cancellationToken)).ToOk())
            .WithName("UndoMerge").WithSummary("The merged customer comes back with its id and everything that moved goes back; the survivor's filled fields are restored.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
