using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.ScreenPop;

/// <summary>Composes a pop from the local replica only (the hot-path rule: no remote call between ring and pop).</summary>
internal sealed class ScreenPopComposer(SwitchboardDbContext db, CallerIdentifier identifier, TimeProvider time)
{
    private const int ListLength = 5;
    private static readonly TicketStatus[] OpenTickets = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending];
    private static readonly OpportunityStage[] OpenStages = [OpportunityStage.Qualification, OpportunityStage.NeedsAnalysis, OpportunityStage.Proposal, OpportunityStage.Negotiation];

    public async Task<ScreenPopMessage> ComposeAsync(CallSnapshot call, CancellationToken cancellationToken)
    {
        var identification = await identifier.IdentifyAsync(call.CustomerNumber, cancellationToken);
        var customer = identification.Candidates.Count > 0 ? await CustomerAsync(identification.Candidates[0].CustomerId, cancellationToken) : null;
        return new ScreenPopMessage(
            Ids.New(time),
            new PopCall(call.Source, call.SourceCallId, call.Phase, call.Direction, call.From, call.To, call.Queue, call.Agent, call.StartedAt, call.RingingAt),
            identification, customer, time.GetUtcNow().UtcDateTime);
    }

    private async Task<PopCustomer?> CustomerAsync(Guid id, CancellationToken cancellationToken)
    {
        // The customer and the name of their company in one read.
        var found = await db.Customers.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { Customer = x, Company = db.Customers.Where(k => k.Id == x.CompanyId).Select(k => k.DisplayName).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var (c, company) = (found.Customer, found.Company);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.CustomerId == id && OpenTickets.Contains(t.Status))
            .OrderByDescending(t => t.UpdatedAt).Take(ListLength)
            .Select(t => new PopTicket(t.Id, t.Number, t.Subject, t.Status, t.Priority, t.Category, t.IsSensitive, t.UpdatedAt))
            .ToListAsync(cancellationToken);
        var interactions = await db.Interactions.AsNoTracking().Where(i => i.CustomerId == id)
            .OrderByDescending(i => i.StartedAt).Take(ListLength)
            .Select(i => new PopInteraction(i.Id, i.Kind, i.Direction, i.StartedAt, i.AgentId, i.Summary))
            .ToListAsync(cancellationToken);
        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == id)
            .OrderByDescending(o => o.PlacedAt).Take(ListLength)
            .Select(o => new PopOrder(o.Id, o.Number, o.Amount, o.Currency, o.Status, o.PlacedAt))
            .ToListAsync(cancellationToken);
        var opportunities = await db.Opportunities.AsNoTracking().Where(o => o.CustomerId == id && OpenStages.Contains(o.Stage))
            .OrderByDescending(o => o.Id).Take(ListLength)
            .Select(o => new PopOpportunity(o.Id, o.Title, o.Stage, o.Amount, o.Currency, o.OwnerAgentId))
            .ToListAsync(cancellationToken);
        return new PopCustomer(c.Id, c.DisplayName, c.Kind, c.Tier, c.Lifecycle, c.Tags, c.Region, c.PreferredLanguage, c.OwnerAgentId,
            c.OwnerTeam, c.CompanyId, company, tickets, interactions, orders, opportunities);
    }
}
