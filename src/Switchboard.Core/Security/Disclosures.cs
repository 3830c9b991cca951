using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Core.Security;

/// <summary>One record of a customer's that a response showed, and which of its fields: what the audit trail records as read.</summary>
public sealed record Disclosure(Guid CustomerId, string RecordType, string RecordId, IReadOnlyList<string> Fields);

/// <summary>
/// What a value about to leave the server discloses, record by record, after <see cref="FieldPolicy"/> shaped it:
/// the fields present (a withheld field is not read), lists as the ids they hold. The same answer for every face, so
/// the audit trail reads alike whether a customer was seen in a pop, over REST or (later) SOAP.
/// </summary>
public static class Disclosures
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Properties = new();
    private static readonly HashSet<string> NotFields = ["Id", "CustomerId", "Version", "CreatedAt", "UpdatedAt"];

    /// <param name="value">The shaped value.</param>
    /// <param name="customerId">The customer the request was about, for values that do not name it (a timeline).</param>
    public static IReadOnlyList<Disclosure> Of(object? value, Guid? customerId = null)
    {
        var found = new List<Disclosure>();
        Collect(value, customerId, found);
        return found;
    }

    private static void Collect(object? value, Guid? customerId, List<Disclosure> found)
    {
        switch (value)
        {
            case null:
                return;
            case ScreenPopMessage pop:
                // The customer shown, and every other candidate the agent may choose instead (their names and tiers).
                if (pop.Customer is { } shown)
                {
                    found.Add(new Disclosure(shown.Id, "customer", shown.Id.ToString("D"), FieldsOf(shown)));
                }
                found.AddRange(pop.Identification.Candidates.Where(c => c.CustomerId != pop.Customer?.Id).Select(c =>
                    new Disclosure(c.CustomerId, "customer", c.CustomerId.ToString("D"), FieldsOf(c))));
                return;
            case CustomerView customer:
                found.Add(new Disclosure(customer.Id, "customer", customer.Id.ToString("D"), FieldsOf(customer)));
                return;
            case CallerIdentification identification:
                found.AddRange(identification.Candidates.Select(c =>
                    new Disclosure(c.CustomerId, "customer", c.CustomerId.ToString("D"), FieldsOf(c))));
                return;
            case TicketUpdateView update:
                found.Add(new Disclosure(update.CustomerId, "ticket_update", update.Id.ToString("D"), FieldsOf(update)));
                return;
            case IRecordView record when CustomerOf(record) is { } owner:
                found.Add(new Disclosure(owner, RecordTypes.Of(record.GetType()), record.Id.ToString("D"), FieldsOf(record)));
                return;
            case IReadOnlyList<TimelineEntry> entries when customerId is { } id:
                if (entries.Count > 0)
                {
                    found.Add(new Disclosure(id, "timeline", id.ToString("D"),
                        [.. entries.Select(e => $"{e.Type}:{e.RecordId:D}{(e.Detail is null ? "" : "+detail")}{(e.Amount is null ? "" : "+amount")}")]));
                }
                return;
            case IPage page:
                foreach (var item in page.Items)
                {
                    Collect(item, customerId, found);
                }
                return;
        }
    }

    private static Guid? CustomerOf(IRecordView record) => record switch
    {
        ContactPointView v => v.CustomerId,
        OrderView v => v.CustomerId,
        TicketView v => v.CustomerId,
        OpportunityView v => v.CustomerId,
        FollowUpTaskView v => v.CustomerId,
        InteractionView v => v.CustomerId,
        _ => null,
    };

    /// <summary>The names (camelCase, as sent) of the properties that carry a value; a list carries its ids when its items have them.</summary>
    public static IReadOnlyList<string> FieldsOf(object record)
    {
        var fields = new List<string>();
        foreach (var (property, name) in Properties.GetOrAdd(record.GetType(), static type =>
                     [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => !NotFields.Contains(p.Name) && p.GetIndexParameters().Length == 0)
                         .Select(p => (p, JsonNamingPolicy.CamelCase.ConvertName(p.Name)))]))
        {
            switch (property.GetValue(record))
            {
                case null:
                case IEnumerable and not string and ICollection { Count: 0 }:
                    continue;
                case IEnumerable items and not string:
                    var ids = items.Cast<object>().Select(i => i.GetType().GetProperty("Id")?.GetValue(i)).OfType<Guid>().ToList();
                    if (ids.Count == 0)
                    {
                        fields.Add(name);
                    }
                    else
                    {
                        fields.AddRange(ids.Select(id => $"{name}:{id:D}"));
                    }
                    continue;
                default:
                    fields.Add(name);
                    continue;
            }
        }
        return fields;
    }
}

/// <summary>The audit trail's name of each record type a customer owns (the same as its error codes: <c>order.not_found</c>).</summary>
public static class RecordTypes
{
    public static string Of(Type view) => view.Name switch
    {
        nameof(ContactPointView) => "contact_point",
        nameof(OrderView) => "order",
        nameof(TicketView) => "ticket",
        nameof(OpportunityView) => "opportunity",
        nameof(FollowUpTaskView) => "task",
        nameof(InteractionView) => "interaction",
        nameof(CustomerView) => "customer",
        nameof(TicketUpdateView) => "ticket_update",
        _ => view.Name,
    };
}
