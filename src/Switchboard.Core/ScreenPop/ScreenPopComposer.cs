using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.ScreenPop;

/// <summary>Composes a pop from the local replica only (the hot-path rule: no remote call between ring and pop).</summary>
internal sealed class ScreenPopComposer(SwitchboardDbContext db, CallerIdentifier identifier, PopContextCache cache, TimeProvider time)
{
    private const int ListLength = 5;
    private static readonly TicketStatus[] OpenTickets = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending];
    private static readonly OpportunityStage[] OpenStages = [OpportunityStage.Qualification, OpportunityStage.NeedsAnalysis, OpportunityStage.Proposal, OpportunityStage.Negotiation];

    // The pop's reads, compiled (CompiledQuery explains why).
    private static readonly CompiledQuery<Func<SwitchboardDbContext, Guid, CancellationToken, Task<CustomerRow?>>> CustomerById = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid id, CancellationToken _) => db.Customers.Where(x => x.Id == id)
            .Select(x => new CustomerRow(x, db.Customers.Where(k => k.Id == x.CompanyId).Select(k => k.DisplayName).FirstOrDefault()))
            .FirstOrDefault()));

    private static readonly CompiledQuery<Func<SwitchboardDbContext, Guid, IAsyncEnumerable<PopTicket>>> TicketsOf = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid id) => db.Tickets.Where(t => t.CustomerId == id && OpenTickets.Contains(t.Status))
            .OrderByDescending(t => t.UpdatedAt).Take(ListLength)
            .Select(t => new PopTicket(t.Id, t.Number, t.Subject, t.Status, t.Priority, t.Category, t.IsSensitive, t.UpdatedAt))));

    private static readonly CompiledQuery<Func<SwitchboardDbContext, Guid, IAsyncEnumerable<PopInteraction>>> InteractionsOf = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid id) => db.Interactions.Where(i => i.CustomerId == id)
            .OrderByDescending(i => i.StartedAt).Take(ListLength)
            .Select(i => new PopInteraction(i.Id, i.Kind, i.Direction, i.StartedAt, i.AgentId, i.Summary))));

    private static readonly CompiledQuery<Func<SwitchboardDbContext, Guid, IAsyncEnumerable<PopOrder>>> OrdersOf = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid id) => db.Orders.Where(o => o.CustomerId == id)
            .OrderByDescending(o => o.PlacedAt).Take(ListLength)
            .Select(o => new PopOrder(o.Id, o.Number, o.Amount, o.Currency, o.Status, o.PlacedAt))));

    private static readonly CompiledQuery<Func<SwitchboardDbContext, Guid, IAsyncEnumerable<PopOpportunity>>> OpportunitiesOf = new(() => EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid id) => db.Opportunities.Where(o => o.CustomerId == id && OpenStages.Contains(o.Stage))
            .OrderByDescending(o => o.Id).Take(ListLength)
            .Select(o => new PopOpportunity(o.Id, o.Title, o.Stage, o.Amount, o.Currency, o.OwnerAgentId))));

    public async Task<ScreenPopMessage> ComposeAsync(CallSnapshot call, CancellationToken cancellationToken)
    {
        var context = await ContextAsync(call.CustomerNumber, cancellationToken);
        return new ScreenPopMessage(
            Ids.New(time),
            new PopCall(call.Source, call.SourceCallId, call.Phase, call.Direction, call.From, call.To, call.Queue, call.Agent, call.StartedAt, call.RingingAt),
            context.Identification, context.Customer, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// Who is calling from <paramref name="number"/> and their context: composed ahead when the call was offered
    /// (<see cref="PopContextCache"/>), otherwise read from the replica now.
    /// </summary>
    public async Task<PopContext> ContextAsync(string? number, CancellationToken cancellationToken)
    {
        if (number is not null && cache.TryGet(number, out var cached))
        {
            return cached;
        }
        var generation = cache.Generation;
        var context = await ReadAsync(number, cancellationToken);
        if (number is not null)
        {
            cache.Set(number, context, generation);
        }
        return context;
    }

    private async Task<PopContext> ReadAsync(string? number, CancellationToken cancellationToken)
    {
        // One connection for every read of the pop, instead of EF opening and closing it around each query.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var identification = await identifier.IdentifyAsync(number, cancellationToken);
            var customer = identification.Candidates.Count > 0 ? await CustomerAsync(identification.Candidates[0].CustomerId, cancellationToken) : null;
            return new PopContext(identification, customer);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<PopCustomer?> CustomerAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await CustomerById.For(db)(db, id, cancellationToken) is not (var c, var company))
        {
            return null;
        }
        var tickets = await TicketsOf.For(db)(db, id).ToListAsync(cancellationToken);
        var interactions = await InteractionsOf.For(db)(db, id).ToListAsync(cancellationToken);
        var orders = await OrdersOf.For(db)(db, id).ToListAsync(cancellationToken);
        var opportunities = await OpportunitiesOf.For(db)(db, id).ToListAsync(cancellationToken);
        return new PopCustomer(c.Id, c.DisplayName, c.Kind, c.Tier, c.Lifecycle, c.Tags, c.Region, c.PreferredLanguage, c.OwnerAgentId,
            c.OwnerTeam, c.CompanyId, company, tickets, interactions, orders, opportunities);
    }

    private sealed record CustomerRow(Customer Customer, string? CompanyName);
}
