using Switchboard.Core.Common;
using Switchboard.Core.Customers;

namespace Switchboard.Core.Mapping;

/// <summary>What kind of value a Switchboard field holds, which decides how a mapped value is checked.</summary>
public enum FieldKind { Text, Choice, List, Phone, Email }

/// <summary>A Switchboard field a mapping may target: its kind, its limit, the values a choice takes, and how to read it from a customer.</summary>
public sealed record TargetField(string Name, FieldKind Kind, int MaxLength, IReadOnlyList<string> Choices, Func<Customer, object?> Read);

/// <summary>
/// The customer fields mappings may write and read. Phones and email are the customer's primary contact point of
/// that kind (<c>mobile</c>, <c>office</c>, <c>email</c>); tags are a list; tier, lifecycle and kind take their wire
/// names (<c>vip</c>, <c>atRisk</c>).
/// </summary>
public static class CustomerFields
{
    private static string[] Names<TEnum>() where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(WireNames.Of)];

    private static string? Primary(Customer c, ContactKind kind) =>
        c.ContactPoints.Where(p => p.Kind == kind).OrderByDescending(p => p.IsPrimary).Select(p => kind == ContactKind.Email ? p.Email ?? p.Raw : p.E164 ?? p.Raw).FirstOrDefault();

    public static readonly IReadOnlyDictionary<string, TargetField> All = new TargetField[]
    {
        new("displayName", FieldKind.Text, 200, [], c => c.DisplayName),
        new("kind", FieldKind.Choice, 0, Names<CustomerKind>(), c => WireNames.Of(c.Kind)),
        new("tier", FieldKind.Choice, 0, Names<ValueTier>(), c => WireNames.Of(c.Tier)),
        new("lifecycle", FieldKind.Choice, 0, Names<LifecycleStage>(), c => WireNames.Of(c.Lifecycle)),
        new("tags", FieldKind.List, 64, [], c => c.Tags),
        new("region", FieldKind.Text, 64, [], c => c.Region),
        new("preferredLanguage", FieldKind.Text, 16, [], c => c.PreferredLanguage),
        new("ownerAgentId", FieldKind.Text, 64, [], c => c.OwnerAgentId),
        new("ownerTeam", FieldKind.Text, 64, [], c => c.OwnerTeam),
        new("mobile", FieldKind.Phone, 64, [], c => Primary(c, ContactKind.Mobile)),
        new("office", FieldKind.Phone, 64, [], c => Primary(c, ContactKind.Office)),
        new("email", FieldKind.Email, 254, [], c => Primary(c, ContactKind.Email)),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);
}
