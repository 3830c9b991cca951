namespace Switchboard.Core.Routing;

/// <summary>What a routing rule's condition may test about a call and its identified customer (the CRM's facts).</summary>
/// <param name="Known">Whether the caller was identified as a customer.</param>
/// <param name="Tier">Value tier: vip, gold, silver, standard ("" when unknown).</param>
/// <param name="Lifecycle">Lifecycle stage: lead, prospect, active, loyal, atRisk, churned.</param>
/// <param name="Tags">The customer's tags.</param>
/// <param name="OpenComplaint">Whether the customer has an open complaint (a sensitive or complaint ticket).</param>
/// <param name="Region">The customer's region.</param>
/// <param name="Language">The customer's preferred language (zh-CN, en, ...).</param>
/// <param name="RecentOrders">Orders placed in the last 90 days.</param>
/// <param name="Queue">The queue the telephony side named.</param>
/// <param name="Direction">inbound or outbound.</param>
public sealed record CallFacts(
    bool Known, string Tier, string Lifecycle, IReadOnlyList<string> Tags, bool OpenComplaint, string Region, string Language,
    int RecentOrders, string Queue, string Direction)
{
    /// <summary>The names rules may use, and a value of each kind (validation evaluates every condition on it).</summary>
    public static IReadOnlyDictionary<string, object> Sample { get; } = new CallFacts(true, "vip", "active", ["sample"], false, "sample", "zh-CN", 1, "sample", "inbound").Parameters();

    public Dictionary<string, object> Parameters() => new(StringComparer.Ordinal)
    {
        ["known"] = Known, ["tier"] = Tier, ["lifecycle"] = Lifecycle, ["tags"] = Tags.ToArray(), ["openComplaint"] = OpenComplaint,
        ["region"] = Region, ["language"] = Language, ["recentOrders"] = RecentOrders, ["queue"] = Queue, ["direction"] = Direction,
    };
}
