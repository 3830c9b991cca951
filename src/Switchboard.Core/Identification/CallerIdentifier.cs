using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Identification;

/// <summary>
/// Finds who is calling from the local replica: the number normalised exactly as stored numbers were, looked up by
/// E.164; failing that, by its last digits; several matches ranked by <see cref="CallerRanking"/>.
/// </summary>
internal sealed class CallerIdentifier(SwitchboardDbContext db, PhoneNormalizer phones, TimeProvider time, IOptions<IdentificationOptions> options)
{
    private static readonly TicketStatus[] OpenStatuses = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending];

    // The two reads of every pop, compiled (CompiledQuery explains why).
    private static readonly CompiledQuery<Func<SwitchboardDbContext, string, int, IAsyncEnumerable<Guid>>> CustomersWithNumber = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, string e164, int max) => db.ContactPoints.Where(p => p.E164 == e164)
            .Select(p => p.CustomerId).Distinct().OrderBy(id => id).Take(max)));

    private static readonly CompiledQuery<Func<SwitchboardDbContext, Guid, IAsyncEnumerable<CandidateRow>>> CandidateById = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid id) => db.Customers.Where(c => c.Id == id)
            .Select(c => new CandidateRow(c.Id, c.DisplayName, c.Kind, c.Tier, c.CompanyId))));

    public async Task<CallerIdentification> IdentifyAsync(string? raw, CancellationToken cancellationToken)
    {
        if (CallerNumbers.IsWithheld(raw))
        {
            return new CallerIdentification(IdentificationKind.Anonymous, raw, null, [], CallerRanking.Explain(IdentificationKind.Anonymous, [], 0));
        }
        var settings = options.Value;
        var number = phones.Normalize(raw!);
        var matches = new List<(Guid CustomerId, MatchReason Reason)>();
        if (number.E164 is { } e164)
        {
            await foreach (var id in CustomersWithNumber.For(db)(db, e164, settings.MaxCandidates).WithCancellation(cancellationToken))
            {
                matches.Add((id, MatchReason.ExactNumber));
            }
        }
        if (matches.Count == 0 && settings.LastDigits >= 6 && PhoneDigits.SuffixRange(number.E164 ?? raw!, settings.LastDigits) is var (low, high))
        {
            // Translated to SQL (ReversedDigits >= @low AND ReversedDigits < @high), an index range; the keys are
            // digits only, so every collation orders them alike. CA1309 is about .NET comparisons, not this one.
#pragma warning disable CA1309
            var query = db.ContactPoints.AsNoTracking().Where(p => string.Compare(p.ReversedDigits, low) >= 0);
            if (high is not null)
            {
                query = query.Where(p => string.Compare(p.ReversedDigits, high) < 0);
            }
#pragma warning restore CA1309
            matches.AddRange((await query.Select(p => p.CustomerId).Distinct().OrderBy(id => id).Take(settings.MaxCandidates).ToListAsync(cancellationToken))
                .Select(id => (id, MatchReason.LastDigits)));
        }
        if (matches.Count == 0)
        {
            return new CallerIdentification(IdentificationKind.Unknown, raw, number.E164, [], CallerRanking.Explain(IdentificationKind.Unknown, [], 0));
        }

        var ids = matches.Select(m => m.CustomerId).ToList();
        var customers = ids.Count == 1
            ? await CandidateById.For(db)(db, ids[0]).ToListAsync(cancellationToken)
            : await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new CandidateRow(c.Id, c.DisplayName, c.Kind, c.Tier, c.CompanyId)).ToListAsync(cancellationToken);
        // Ranking facts and remembered choices only matter when there is more than one to rank: the common single
        // match (the hot path of every pop) skips three queries.
        Dictionary<Guid, int>? openTickets = null;
        Dictionary<Guid, DateTime>? lastContact = null;
        Guid? remembered = null;
        if (customers.Count > 1)
        {
            openTickets = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.CustomerId) && OpenStatuses.Contains(t.Status))
                .GroupBy(t => t.CustomerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            lastContact = await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.CustomerId))
                .GroupBy(i => i.CustomerId).Select(g => new { g.Key, Last = g.Max(i => i.StartedAt) }).ToDictionaryAsync(g => g.Key, g => g.Last, cancellationToken);
            remembered = number.E164 is null ? null
                : await db.CallerChoices.AsNoTracking().Where(c => c.E164 == number.E164).Select(c => (Guid?)c.CustomerId).FirstOrDefaultAsync(cancellationToken);
        }

        var reasons = matches.ToDictionary(m => m.CustomerId, m => m.Reason);
        var ranked = CallerRanking.Rank(
            customers.Select(c => new CallerCandidate(c.Id, c.DisplayName, c.Kind, c.Tier, c.CompanyId,
                openTickets?.GetValueOrDefault(c.Id), lastContact?.TryGetValue(c.Id, out var last) == true ? last : null, reasons[c.Id])),
            remembered);
        var kind = ranked.Count == 1 ? IdentificationKind.Single : IdentificationKind.Multiple;
        return new CallerIdentification(kind, raw, number.E164, ranked, CallerRanking.Explain(kind, ranked, settings.LastDigits));
    }

    /// <summary>Remembers, for everyone, that this number is this customer's.</summary>
    public async Task<Result<bool>> RememberAsync(string number, Guid customerId, string? agentId, CancellationToken cancellationToken)
    {
        var normalized = phones.Normalize(number);
        if (normalized.E164 is not { } e164)
        {
            return Error.Validation("number", "is not a phone number that can be normalised.");
        }
        if (agentId?.Length > Limits.Code)
        {
            return Error.Validation("agentId", $"must be at most {Limits.Code} characters.");
        }
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Error.NotFound("customer");
        }
        var choice = await db.CallerChoices.FirstOrDefaultAsync(c => c.E164 == e164, cancellationToken);
        if (choice is null)
        {
            db.CallerChoices.Add(choice = new CallerChoice { E164 = e164 });
        }
        choice.CustomerId = customerId;
        choice.ChosenBy = agentId;
        choice.ChosenAt = time.GetUtcNow().UtcDateTime;
        return await RecordChanges.SaveAsync(db, "caller_choice", cancellationToken) is { } error ? error : true;
    }

    private sealed record CandidateRow(Guid Id, string DisplayName, CustomerKind Kind, ValueTier Tier, Guid? CompanyId);
}
