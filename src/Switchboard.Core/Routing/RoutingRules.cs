using NCalc;
using Switchboard.Core.Common;

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

/// <summary>A condition in NCalc's expression language, parsed once: only the facts' names, operators and NCalc's math functions.</summary>
public sealed class RoutingCondition
{
    private readonly LogicalExpression _parsed;

    private RoutingCondition(string text, LogicalExpression parsed) => (Text, _parsed) = (text, parsed);

    public string Text { get; }

    /// <summary>Parses and checks a condition: syntax, names of facts, and that it gives true or false on sample facts.</summary>
    public static Result<RoutingCondition> Parse(string text, string field)
    {
        if (text.Length > 2_000)
        {
            return Error.Validation(field, "must be at most 2,000 characters.");
        }
        var expression = new Expression(text);
        if (expression.HasErrors())
        {
            return Error.Validation(field, $"is not a valid expression: {expression.Error?.Message}");
        }
        var unknown = expression.GetParameterNames().Where(n => !CallFacts.Sample.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return Error.Validation(field, $"names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which {(unknown.Count == 1 ? "is not a fact" : "are not facts")}; the facts are {string.Join(", ", CallFacts.Sample.Keys)}.");
        }
        var condition = new RoutingCondition(text, expression.GetLogicalExpression()!);
        try
        {
            _ = condition.Evaluate(CallFacts.Sample);
        }
        catch (Exception e) when (e is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Error.Validation(field, $"cannot be evaluated: {e.Message}");
        }
        return condition;
    }

    /// <summary>True when the condition holds; anything but a boolean true is false.</summary>
    public bool Evaluate(IReadOnlyDictionary<string, object> facts)
    {
        var expression = new Expression(_parsed);
        foreach (var (name, value) in facts)
        {
            expression.Parameters[name] = value;
        }
        return expression.Evaluate() is true;
    }
}
