using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Core.Security;

/// <summary>
/// The one shaping step every customer datum passes before it leaves the server — REST responses (an endpoint filter
/// on <c>/api/v1</c>), screen pops, and every later face (SOAP, exports, outbound webhooks) — applying the viewer's
/// <see cref="Clearance"/>: phone numbers masked (<c>138****8000</c>) for roles not cleared for them; order and
/// opportunity amounts and a complaint's content (a sensitive ticket's subject and updates) withheld, which makes
/// them absent from the JSON, not empty. Pure: values in, values out; a fully cleared viewer gets the value itself.
/// </summary>
public static class FieldPolicy
{
    /// <summary>Whether <paramref name="role"/> sees everything, so shaping can be skipped.</summary>
    public static bool SeesAll(Role role) => Clearance.FullNumbers(role) && Clearance.Amounts(role) && Clearance.ComplaintContent(role);

    /// <summary>Any value a face is about to send: the record types and lists below are shaped; anything else passes as is.</summary>
    public static object? Shape(object? value, Viewer viewer) => value is null || SeesAll(viewer.Role) ? value : value switch
    {
        CustomerView customer => Shape(customer, viewer),
        ContactPointView contact => Shape(contact, viewer),
        OrderView order => Shape(order, viewer),
        OpportunityView opportunity => Shape(opportunity, viewer),
        TicketView ticket => Shape(ticket, viewer),
        TicketUpdateView update => Shape(update, viewer),
        TimelineEntry entry => Shape(entry, viewer),
        CallerIdentification identification => Shape(identification, viewer),
        ScreenPopMessage pop => Shape(pop, viewer),
        Page<CustomerView> page => page with { Items = [.. page.Items.Select(i => Shape(i, viewer))] },
        Page<ContactPointView> page => page with { Items = [.. page.Items.Select(i => Shape(i, viewer))] },
        Page<OrderView> page => page with { Items = [.. page.Items.Select(i => Shape(i, viewer))] },
        Page<OpportunityView> page => page with { Items = [.. page.Items.Select(i => Shape(i, viewer))] },
        Page<TicketView> page => page with { Items = [.. page.Items.Select(i => Shape(i, viewer))] },
        Page<TicketUpdateView> page => page with { Items = [.. page.Items.Select(i => Shape(i, viewer))] },
        IEnumerable<TimelineEntry> entries => entries.Select(e => Shape(e, viewer)).ToList(),
        _ => value,
    };

    public static CustomerView Shape(CustomerView customer, Viewer viewer) =>
        Clearance.FullNumbers(viewer.Role) ? customer : customer with { ContactPoints = [.. customer.ContactPoints.Select(c => Shape(c, viewer))] };

    public static ContactPointView Shape(ContactPointView contact, Viewer viewer) =>
        Clearance.FullNumbers(viewer.Role) || contact.Kind == ContactKind.Email
            ? contact
            : contact with { Raw = PhoneMask.Mask(contact.Raw)!, E164 = PhoneMask.Mask(contact.E164) };

    public static OrderView Shape(OrderView order, Viewer viewer) => Clearance.Amounts(viewer.Role) ? order : order with { Amount = null };

    public static OpportunityView Shape(OpportunityView opportunity, Viewer viewer) =>
        Clearance.Amounts(viewer.Role) ? opportunity : opportunity with { Amount = null };

    public static TicketView Shape(TicketView ticket, Viewer viewer) =>
        !ticket.IsSensitive || Clearance.ComplaintContent(viewer.Role) ? ticket : ticket with { Subject = null };

    public static TicketUpdateView Shape(TicketUpdateView update, Viewer viewer) =>
        !update.Sensitive || Clearance.ComplaintContent(viewer.Role) ? update : update with { Body = null };

    public static TimelineEntry Shape(TimelineEntry entry, Viewer viewer) => entry with
    {
        Amount = Clearance.Amounts(viewer.Role) ? entry.Amount : null,
        Currency = Clearance.Amounts(viewer.Role) ? entry.Currency : null,
        Detail = entry.Sensitive && !Clearance.ComplaintContent(viewer.Role) ? null : entry.Detail,
    };

    public static CallerIdentification Shape(CallerIdentification identification, Viewer viewer) =>
        Clearance.FullNumbers(viewer.Role)
            ? identification
            : identification with { Number = PhoneMask.Mask(identification.Number), E164 = PhoneMask.Mask(identification.E164) };

    public static ScreenPopMessage Shape(ScreenPopMessage pop, Viewer viewer)
    {
        if (SeesAll(viewer.Role))
        {
            return pop;
        }
        var numbers = Clearance.FullNumbers(viewer.Role);
        var amounts = Clearance.Amounts(viewer.Role);
        var complaints = Clearance.ComplaintContent(viewer.Role);
        return pop with
        {
            Call = numbers ? pop.Call : pop.Call with { From = PhoneMask.Mask(pop.Call.From), To = PhoneMask.Mask(pop.Call.To) },
            Identification = Shape(pop.Identification, viewer),
            Customer = pop.Customer is not { } customer ? null : customer with
            {
                OpenTickets = complaints ? customer.OpenTickets : [.. customer.OpenTickets.Select(t => t.IsSensitive ? t with { Subject = null } : t)],
                RecentOrders = amounts ? customer.RecentOrders : [.. customer.RecentOrders.Select(o => o with { Amount = null })],
                OpenOpportunities = amounts ? customer.OpenOpportunities : [.. customer.OpenOpportunities.Select(o => o with { Amount = null })],
            },
        };
    }
}
