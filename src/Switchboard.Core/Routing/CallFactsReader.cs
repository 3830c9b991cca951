using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Routing;

/// <summary>The CRM's facts about a call's customer, from the replica: what routing rules and speech rules test.</summary>
internal sealed class CallFactsReader(SwitchboardDbContext db, CallerIdentifier identifier, TimeProvider time)
{
    /// <summary>The facts of the best identified customer for the number (and that customer's id), or an unknown caller's.</summary>
    public async Task<(CallFacts Facts, Guid? CustomerId)> ReadAsync(string? number, string? queue, string? direction, CancellationToken cancellationToken)
    {
        var identification = await identifier.IdentifyAsync(number, cancellationToken);
        queue ??= "";
        direction ??= "inbound";
        if (identification.Candidates.Count == 0)
        {
            return (new CallFacts(false, "", "", [], false, "", "", 0, queue, direction), null);
        }
        var id = identification.Candidates[0].CustomerId;
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.Tier, c.Lifecycle, c.Tags, c.Region, c.PreferredLanguage }).FirstAsync(cancellationToken);
        var since = time.GetUtcNow().UtcDateTime.AddDays(-90);
        var complaint = await db.Tickets.AnyAsync(t => t.CustomerId == id && (t.Status == TicketStatus.New || t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending)
            && (t.IsSensitive || t.Category == "complaint"), cancellationToken);
        var orders = await db.Orders.CountAsync(o => o.CustomerId == id && o.PlacedAt >= since, cancellationToken);
        return (new CallFacts(true, WireNames.Of(customer.Tier), WireNames.Of(customer.Lifecycle), customer.Tags, complaint, customer.Region ?? "",
            customer.PreferredLanguage ?? "", orders, queue, direction), id);
    }
}
