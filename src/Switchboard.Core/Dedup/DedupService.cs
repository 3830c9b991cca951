using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Dedup;

/// <summary>What a scan did.</summary>
public sealed record ScanSummary(int Customers, int Compared, int Merged, int ForReview, int AlreadyKnown);

/// <summary>A candidate as the API shows it: ids, score and why (no customer data: look the two up, audited, to decide).</summary>
public sealed record CandidateView(long Id, Guid FirstId, Guid SecondId, double Score, DedupDecision Decision, IReadOnlyDictionary<string, double> Weights,
    CandidateStatus Status, DateTime FoundAt, string? DecidedBy, DateTime? DecidedAt);

/// <summary>A merge as the API shows it.</summary>
public sealed record MergeView(Guid Id, Guid SurvivorId, Guid MergedId, long? CandidateId, int RecordsMoved, DateTime At, string By, DateTime? UndoneAt, string? UndoneBy);

/// <summary>
/// De-duplication over the store: a scan scores every candidate pair (<see cref="DuplicateScorer"/>), merges the sure
/// ones (when asked) and queues the rest for review; a person merges or rejects a candidate; every merge can be undone.
/// A merge moves everything the merged customer owns (contact points, orders, tickets, opportunities, tasks,
/// interactions, its company's contacts, its external ids and sync links) to the survivor, fills the survivor's empty
/// fields from it, and removes it — all in one transaction through the replica's own save, so each move is audited
/// with its before and after and published like any change. What it moved and overwrote is kept for the undo.
/// </summary>
internal sealed class DedupService(SwitchboardDbContext db, TimeProvider time)
{
    private sealed record Moved(List<Guid> ContactPoints, List<Guid> Demoted, List<Guid> Orders, List<Guid> Tickets, List<Guid> Opportunities, List<Guid> Tasks,
        List<Guid> Interactions, List<Guid> Contacts, List<Guid> ExternalIds, List<long> SyncStates, List<string>? CallerChoices = null);

    private sealed record Snapshot(CustomerKind Kind, string DisplayName, ValueTier Tier, LifecycleStage Lifecycle, List<string> Tags, string? Region,
        string? PreferredLanguage, string? OwnerAgentId, string? OwnerTeam, Guid? CompanyId, DateTime CreatedAt);

    public async Task<Result<ScanSummary>> ScanAsync(bool autoMerge, DedupThresholds thresholds, CancellationToken cancellationToken)
    {
        if (thresholds.Review > thresholds.Merge || thresholds.Review < 0 || thresholds.Merge > 100)
        {
            return Error.Validation("thresholds", "review must be at least 0 and at most merge, merge at most 100 bits.");
        }
        var customers = await db.Customers.AsNoTracking().Include(c => c.ContactPoints).ToListAsync(cancellationToken);
        var records = customers.Select(c => new DedupRecord(c.Id, c.Kind, c.DisplayName,
            [.. c.ContactPoints.Where(p => p.E164 is not null).Select(p => p.E164!)], [.. c.ContactPoints.Where(p => p.Email is not null).Select(p => p.Email!)], c.Region)).ToList();
        var scored = DuplicateScorer.Score(records, thresholds).Where(p => p.Decision != DedupDecision.Distinct).ToList();
        var known = (await db.DuplicateCandidates.AsNoTracking().Select(c => new { c.FirstId, c.SecondId }).ToListAsync(cancellationToken))
            .Select(c => (c.FirstId, c.SecondId)).ToHashSet();
        var fresh = scored.Where(p => !known.Contains((p.First, p.Second))).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var candidates = fresh.Select(p => new DuplicateCandidate
        {
            FirstId = p.First, SecondId = p.Second, Score = Math.Round(p.Score, 3), Decision = p.Decision, Status = CandidateStatus.Open,
            Weights = JsonSerializer.Serialize(p.Weights.ToDictionary(w => w.Key, w => Math.Round(w.Value, 3))), FoundAt = now,
        }).ToList();
        db.DuplicateCandidates.AddRange(candidates);
        await db.SaveChangesAsync(cancellationToken);
        var merged = 0;
        if (autoMerge)
        {
            // Sure pairs merge into the oldest customer of their group (a group: customers joined by sure pairs).
            var created = customers.ToDictionary(c => c.Id, c => c.CreatedAt);
            var group = new Dictionary<Guid, Guid>();
            Guid Root(Guid id) => group.TryGetValue(id, out var parent) && parent != id ? group[id] = Root(parent) : id;
            foreach (var pair in candidates.Where(c => c.Decision == DedupDecision.Merge))
            {
                var (a, b) = (Root(pair.FirstId), Root(pair.SecondId));
                if (a != b)
                {
                    var (older, younger) = (created[a], a).CompareTo((created[b], b)) <= 0 ? (a, b) : (b, a);
                    group[younger] = older;
                    group.TryAdd(older, older);
                }
            }
            foreach (var pair in candidates.Where(c => c.Decision == DedupDecision.Merge))
            {
                var survivor = Root(pair.FirstId);
                var failed = false;
                foreach (var absorbed in new[] { pair.FirstId, pair.SecondId }.Where(id => id != survivor))
                {
                    if (await db.Customers.AnyAsync(c => c.Id == absorbed, cancellationToken))
                    {
                        var done = await MergeAsync(survivor, absorbed, pair.Id, cancellationToken);
                        (merged, failed) = (merged + (done.IsSuccess ? 1 : 0), failed || !done.IsSuccess);
                        db.ChangeTracker.Clear();
                    }
                }
                if (failed)
                {
                    continue; // left open for a person (someone changed a customer meanwhile, or the pair cannot merge)
                }
                await db.DuplicateCandidates.Where(c => c.Id == pair.Id && c.Status == CandidateStatus.Open).ExecuteUpdateAsync(u => u
                    .SetProperty(c => c.Status, CandidateStatus.Merged).SetProperty(c => c.DecidedBy, AuditContext.Current.Actor).SetProperty(c => c.DecidedAt, now), cancellationToken);
            }
        }
        return new ScanSummary(customers.Count, scored.Count, merged, candidates.Count(c => c.Decision == DedupDecision.Review), scored.Count - fresh.Count);
    }

    public async Task<Result<IReadOnlyList<CandidateView>>> CandidatesAsync(CandidateStatus? status, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Error.Validation("limit", "must be between 1 and 1000.");
        }
        var rows = await db.DuplicateCandidates.AsNoTracking().Where(c => (status == null || c.Status == status) && c.Id > (after ?? 0)).OrderBy(c => c.Id)
            .Take(limit ?? 100).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    /// <summary>A person's decision on a candidate: merge (into the first, the older, unless <paramref name="survivor"/> says otherwise) or reject.</summary>
    public async Task<Result<CandidateView>> DecideAsync(long id, bool merge, Guid? survivor, CancellationToken cancellationToken)
    {
        var candidate = await db.DuplicateCandidates.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (candidate is null)
        {
            return Error.NotFound("candidate");
        }
        if (candidate.Status != CandidateStatus.Open)
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Conflict, $"The candidate is {candidate.Status.ToString().ToLowerInvariant()} already.");
        }
        if (merge)
        {
            var keep = survivor ?? candidate.FirstId;
            if (keep != candidate.FirstId && keep != candidate.SecondId)
            {
                return Error.Validation("survivor", "must be one of the candidate's two customers.");
            }
            var done = await MergeAsync(keep, keep == candidate.FirstId ? candidate.SecondId : candidate.FirstId, candidate.Id, cancellationToken);
            if (!done.IsSuccess)
            {
                return done.Error!;
            }
        }
        db.ChangeTracker.Clear();
        candidate = await db.DuplicateCandidates.FirstAsync(c => c.Id == id, cancellationToken);
        (candidate.Status, candidate.DecidedBy, candidate.DecidedAt) = (merge ? CandidateStatus.Merged : CandidateStatus.Rejected, AuditContext.Current.Actor,
            time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return View(candidate);
    }

    /// <summary>Merges <paramref name="mergedId"/> into <paramref name="survivorId"/> in one transaction; returns the merge (to undo it).</summary>
    public async Task<Result<MergeView>> MergeAsync(Guid survivorId, Guid mergedId, long? candidateId, CancellationToken cancellationToken)
    {
        if (survivorId == mergedId)
        {
            return Error.Validation("survivor", "a customer is not merged into itself.");
        }
        var survivor = await db.Customers.Include(c => c.ContactPoints).FirstOrDefaultAsync(c => c.Id == survivorId, cancellationToken);
        var merged = await db.Customers.Include(c => c.ContactPoints).FirstOrDefaultAsync(c => c.Id == mergedId, cancellationToken);
        if (survivor is null || merged is null)
        {
            return Error.NotFound("customer");
        }
        if (survivor.Kind != merged.Kind)
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Conflict, "A person and a company are not one customer: not merged.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var moved = new Moved([], [], [], [], [], [], [], [], [], [], []);
        foreach (var point in merged.ContactPoints.ToList())
        {
            if (point.IsPrimary && survivor.ContactPoints.Any(p => p.Kind == point.Kind && p.IsPrimary))
            {
                point.IsPrimary = false;
                moved.Demoted.Add(point.Id);
            }
            point.CustomerId = survivorId;
            moved.ContactPoints.Add(point.Id);
        }
        await MoveAsync(db.Orders, mergedId, survivorId, moved.Orders, cancellationToken);
        await MoveAsync(db.Tickets, mergedId, survivorId, moved.Tickets, cancellationToken);
        await MoveAsync(db.Opportunities, mergedId, survivorId, moved.Opportunities, cancellationToken);
        await MoveAsync(db.FollowUpTasks, mergedId, survivorId, moved.Tasks, cancellationToken);
        await MoveAsync(db.Interactions, mergedId, survivorId, moved.Interactions, cancellationToken);
        foreach (var contact in await db.Customers.Where(c => c.CompanyId == mergedId).ToListAsync(cancellationToken))
        {
            contact.CompanyId = survivorId;
            moved.Contacts.Add(contact.Id);
        }
        foreach (var link in await db.ExternalIds.Where(e => e.EntityId == mergedId).ToListAsync(cancellationToken))
        {
            link.EntityId = survivorId;
            moved.ExternalIds.Add(link.Id);
        }
        foreach (var choice in await db.CallerChoices.Where(c => c.CustomerId == mergedId).ToListAsync(cancellationToken))
        {
            choice.CustomerId = survivorId; // an agent's pick for a shared number follows the customer
            moved.CallerChoices!.Add(choice.E164);
        }
        var survivorLinks = await db.SyncStates.Where(s => s.CustomerId == survivorId).Select(s => s.ConnectionId).ToListAsync(cancellationToken);
        foreach (var state in await db.SyncStates.Where(s => s.CustomerId == mergedId).ToListAsync(cancellationToken))
        {
            if (survivorLinks.Contains(state.ConnectionId))
            {
                // Both were linked to records of one CRM (a duplicate there too): the merged one's link goes; its record, when
                // it next changes, is quarantined as a duplicate of the survivor's (SyncRunner) for someone to merge in the CRM.
                db.SyncStates.Remove(state);
                continue;
            }
            state.CustomerId = survivorId;
            moved.SyncStates.Add(state.Id);
        }
        var before = Copy(survivor);
        survivor.Region ??= merged.Region;
        survivor.PreferredLanguage ??= merged.PreferredLanguage;
        survivor.OwnerAgentId ??= merged.OwnerAgentId;
        survivor.OwnerTeam ??= merged.OwnerTeam;
        survivor.Tags = [.. survivor.Tags.Union(merged.Tags, StringComparer.Ordinal)];
        survivor.Tier = (ValueTier)Math.Max((int)survivor.Tier, (int)merged.Tier);
        (survivor.UpdatedAt, survivor.Version) = (now, survivor.Version + 1);
        var record = new CustomerMerge
        {
            Id = Ids.New(time), SurvivorId = survivorId, MergedId = mergedId, Merged = JsonSerializer.Serialize(Copy(merged)), SurvivorBefore = JsonSerializer.Serialize(before),
            Moved = JsonSerializer.Serialize(moved), CandidateId = candidateId, At = now, By = AuditContext.Current.Actor,
        };
        db.ChangeTracker.DetectChanges(); // the moved records leave the merged customer's navigations before it is removed, so nothing cascades to them
        db.Customers.Remove(merged);
        db.CustomerMerges.Add(record);
        if (await RecordChanges.SaveAsync(db, "customer", cancellationToken) is { } error)
        {
            return error;
        }
        return View(record);
    }

    /// <summary>Undoes a merge: the merged customer comes back with its id, what moved goes back, the survivor's filled fields are restored.</summary>
    public async Task<Result<MergeView>> UndoAsync(Guid id, CancellationToken cancellationToken)
    {
        var merge = await db.CustomerMerges.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (merge is null)
        {
            return Error.NotFound("merge");
        }
        if (merge.UndoneAt is not null || await db.Customers.AnyAsync(c => c.Id == merge.MergedId, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Conflict, "The merge is undone already.");
        }
        var survivor = await db.Customers.FirstOrDefaultAsync(c => c.Id == merge.SurvivorId, cancellationToken);
        if (survivor is null)
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Conflict, "The customer that stayed is gone: the merge cannot be undone.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var was = JsonSerializer.Deserialize<Snapshot>(merge.Merged)!;
        var moved = JsonSerializer.Deserialize<Moved>(merge.Moved)!;
        var before = JsonSerializer.Deserialize<Snapshot>(merge.SurvivorBefore)!;
        db.Customers.Add(new Customer
        {
            Id = merge.MergedId, Kind = was.Kind, DisplayName = was.DisplayName, NameKey = SearchKeys.Name(was.DisplayName), Tier = was.Tier, Lifecycle = was.Lifecycle,
            Tags = was.Tags, Region = was.Region, PreferredLanguage = was.PreferredLanguage, OwnerAgentId = was.OwnerAgentId, OwnerTeam = was.OwnerTeam,
            CompanyId = was.CompanyId is { } company && await db.Customers.AnyAsync(c => c.Id == company, cancellationToken) ? company : null,
            CreatedAt = was.CreatedAt, UpdatedAt = now, Version = 1,
        });
        foreach (var point in await db.ContactPoints.Where(p => EF.Parameter(moved.ContactPoints).Contains(p.Id) && p.CustomerId == merge.SurvivorId).ToListAsync(cancellationToken))
        {
            point.CustomerId = merge.MergedId;
            point.IsPrimary |= moved.Demoted.Contains(point.Id);
        }
        await MoveBackAsync(db.Orders, moved.Orders, merge, cancellationToken);
        await MoveBackAsync(db.Tickets, moved.Tickets, merge, cancellationToken);
        await MoveBackAsync(db.Opportunities, moved.Opportunities, merge, cancellationToken);
        await MoveBackAsync(db.FollowUpTasks, moved.Tasks, merge, cancellationToken);
        await MoveBackAsync(db.Interactions, moved.Interactions, merge, cancellationToken);
        foreach (var contact in await db.Customers.Where(c => EF.Parameter(moved.Contacts).Contains(c.Id) && c.CompanyId == merge.SurvivorId).ToListAsync(cancellationToken))
        {
            contact.CompanyId = merge.MergedId;
        }
        foreach (var link in await db.ExternalIds.Where(e => EF.Parameter(moved.ExternalIds).Contains(e.Id) && e.EntityId == merge.SurvivorId).ToListAsync(cancellationToken))
        {
            link.EntityId = merge.MergedId;
        }
        foreach (var state in await db.SyncStates.Where(s => EF.Parameter(moved.SyncStates).Contains(s.Id) && s.CustomerId == merge.SurvivorId).ToListAsync(cancellationToken))
        {
            state.CustomerId = merge.MergedId;
        }
        var choices = moved.CallerChoices ?? [];
        foreach (var choice in await db.CallerChoices.Where(c => EF.Parameter(choices).Contains(c.E164) && c.CustomerId == merge.SurvivorId).ToListAsync(cancellationToken))
        {
            choice.CustomerId = merge.MergedId;
        }
        // The survivor's fields the merge filled go back, unless someone changed them since.
        var after = Copy(survivor);
        survivor.Region = after.Region == (before.Region ?? was.Region) ? before.Region : survivor.Region;
        survivor.PreferredLanguage = after.PreferredLanguage == (before.PreferredLanguage ?? was.PreferredLanguage) ? before.PreferredLanguage : survivor.PreferredLanguage;
        survivor.OwnerAgentId = after.OwnerAgentId == (before.OwnerAgentId ?? was.OwnerAgentId) ? before.OwnerAgentId : survivor.OwnerAgentId;
        survivor.OwnerTeam = after.OwnerTeam == (before.OwnerTeam ?? was.OwnerTeam) ? before.OwnerTeam : survivor.OwnerTeam;
        survivor.Tags = [.. survivor.Tags.Where(t => before.Tags.Contains(t, StringComparer.Ordinal) || !was.Tags.Contains(t, StringComparer.Ordinal))];
        survivor.Tier = after.Tier == (ValueTier)Math.Max((int)before.Tier, (int)was.Tier) ? before.Tier : survivor.Tier;
        (survivor.UpdatedAt, survivor.Version) = (now, survivor.Version + 1);
        (merge.UndoneAt, merge.UndoneBy) = (now, AuditContext.Current.Actor);
        if (merge.CandidateId is { } candidate)
        {
            await db.DuplicateCandidates.Where(c => c.Id == candidate).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CandidateStatus.Rejected)
                .SetProperty(c => c.DecidedBy, AuditContext.Current.Actor).SetProperty(c => c.DecidedAt, now), cancellationToken);
        }
        return await RecordChanges.SaveAsync(db, "customer", cancellationToken) is { } error ? error : View(merge);
    }

    public async Task<Result<IReadOnlyList<MergeView>>> MergesAsync(int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Error.Validation("limit", "must be between 1 and 1000.");
        }
        var rows = await db.CustomerMerges.AsNoTracking().OrderByDescending(m => m.At).Take(limit ?? 100).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    private static async Task MoveAsync<T>(DbSet<T> set, Guid from, Guid to, List<Guid> moved, CancellationToken cancellationToken) where T : CrmRecord, ICustomerOwned
    {
        foreach (var record in await set.Where(r => r.CustomerId == from).ToListAsync(cancellationToken))
        {
            record.CustomerId = to;
            moved.Add(record.Id);
        }
    }

    private static async Task MoveBackAsync<T>(DbSet<T> set, List<Guid> ids, CustomerMerge merge, CancellationToken cancellationToken) where T : CrmRecord, ICustomerOwned
    {
        foreach (var record in await set.Where(r => EF.Parameter(ids).Contains(r.Id) && r.CustomerId == merge.SurvivorId).ToListAsync(cancellationToken))
        {
            record.CustomerId = merge.MergedId;
        }
    }

    private static Snapshot Copy(Customer c) =>
        new(c.Kind, c.DisplayName, c.Tier, c.Lifecycle, [.. c.Tags], c.Region, c.PreferredLanguage, c.OwnerAgentId, c.OwnerTeam, c.CompanyId, c.CreatedAt);

    private static CandidateView View(DuplicateCandidate c) =>
        new(c.Id, c.FirstId, c.SecondId, c.Score, c.Decision, JsonSerializer.Deserialize<Dictionary<string, double>>(c.Weights) ?? [], c.Status, c.FoundAt, c.DecidedBy, c.DecidedAt);

    private static MergeView View(CustomerMerge m)
    {
        var moved = JsonSerializer.Deserialize<Moved>(m.Moved)!;
        var count = moved.ContactPoints.Count + moved.Orders.Count + moved.Tickets.Count + moved.Opportunities.Count + moved.Tasks.Count + moved.Interactions.Count
            + moved.Contacts.Count + moved.ExternalIds.Count + moved.SyncStates.Count + (moved.CallerChoices?.Count ?? 0);
        return new MergeView(m.Id, m.SurvivorId, m.MergedId, m.CandidateId, count, m.At, m.By, m.UndoneAt, m.UndoneBy);
    }
}
