using Switchboard.Core.Routing;

namespace Switchboard.Tests.Routing;

public sealed class RoutingRulesTests
{
    private static readonly RoutingStepDocument[] General = [new("general", null, null)];

    private static RoutingConfigurationDocument Document(params RoutingRuleDocument[] rules) =>
        new(["senior", "general"], [new("a1", ["general"], new Dictionary<string, int> { ["zh-CN"] = 3 })], rules, null, null, null, null);

    private static CallFacts Facts(string tier = "standard", string[]? tags = null, bool complaint = false, string region = "华东", string language = "zh-CN", int orders = 0, bool known = true) =>
        new(known, tier, "active", tags ?? [], complaint, region, language, orders, "service", "inbound");

    public static TheoryData<string, CallFacts, string> Decisions => new()
    {
        { "tier == 'vip'", Facts(tier: "vip"), "match" },
        { "tier == 'vip'", Facts(tier: "gold"), "fallback" },
        { "tier in ('vip', 'gold') && not openComplaint", Facts(tier: "gold"), "match" },
        { "tier in ('vip', 'gold') && not openComplaint", Facts(tier: "gold", complaint: true), "fallback" },
        { "'续约临近' in tags", Facts(tags: ["续约临近", "大客户"]), "match" },
        { "'续约临近' in tags", Facts(tags: ["大客户"]), "fallback" },
        { "recentOrders >= 3 && region == '华南'", Facts(orders: 3, region: "华南"), "match" },
        { "recentOrders >= 3 && region == '华南'", Facts(orders: 2, region: "华南"), "fallback" },
        { "language == 'en' || !known", Facts(known: false), "match" },
        { "if(known, tier == 'vip', false)", Facts(known: false, tier: "vip"), "fallback" },
    };

    [Theory, MemberData(nameof(Decisions))]
    public void FirstMatchWins_AndTheDecisionSaysWhy(string when, CallFacts facts, string expected)
    {
        var configuration = RoutingConfiguration.Validate(Document(
            new("match", when, "vip", 10, 90, true, [new("senior", null, 30), new("general", null, null)]),
            new("fallback", null, "general", 0, null, false, General))).Value;

        var decision = configuration.Decide(facts);

        Assert.Equal(expected, decision.Rule);
        Assert.Contains(expected == "match" ? $"matched: {when}" : "no earlier rule held", decision.Why, StringComparison.Ordinal);
        if (expected == "match")
        {
            Assert.Equal(("vip", 10, TimeSpan.FromSeconds(90), true), (decision.Queue, decision.Priority, decision.AgeCredit, decision.Bypass));
            Assert.Equal(["senior"], decision.Steps[0].Groups);
            Assert.Equal(["general", "senior"], decision.Steps[1].Groups.Order(StringComparer.Ordinal)); // widened, not replaced
        }
    }

    public static TheoryData<RoutingConfigurationDocument, string, string> Invalid => new()
    {
        { Document(new RoutingRuleDocument("a", "tier ==", "q", 0, null, false, General), new RoutingRuleDocument("z", null, "q", 0, null, false, General)), "rules[0].when", "is not a valid expression" },
        { Document(new RoutingRuleDocument("a", "tierr == 'vip' && colour == 1", "q", 0, null, false, General), new RoutingRuleDocument("z", null, "q", 0, null, false, General)), "rules[0].when", "names 'tierr', 'colour', which are not facts" },
        { Document(new RoutingRuleDocument("a", "unknownFunction(tier)", "q", 0, null, false, General), new RoutingRuleDocument("z", null, "q", 0, null, false, General)), "rules[0].when", "cannot be evaluated" },
        { Document(new RoutingRuleDocument("a", null, "q", 0, null, false, General), new RoutingRuleDocument("z", null, "q", 0, null, false, General)), "rules[0].when", "is required on every rule but the last" },
        { Document(new RoutingRuleDocument("a", "known", "q", 0, null, false, General)), "rules[0].when", "must be empty on the last rule" },
        { Document(new RoutingRuleDocument("a", null, "q", 0, null, false, [new("nowhere", null, null)])), "rules[0].steps[0].group", "'nowhere' is not one of the groups" },
        { Document(new RoutingRuleDocument("a", null, "q", 0, null, false, [new("general", new Dictionary<string, int> { ["en"] = 7 }, null)])), "rules[0].steps[0].skills", "'en' must have a level from 1 to 5" },
        { Document(new RoutingRuleDocument("a", null, "q", 0, null, false, [new("senior", null, null), new("general", null, null)])), "rules[0].steps[0].timeoutSeconds", "must be 1 to 3,600" },
        { Document(new RoutingRuleDocument("a", null, "q", 101, null, false, General)), "rules[0].priority", "must be 0 to 100" },
        { Document(new RoutingRuleDocument("a", null, "", 0, null, false, General)), "rules[0].queue", "must be 1 to 64" },
        { Document(), "rules", "must hold 1 to 500 rules" },
        { Document(new RoutingRuleDocument("a", null, "q", 0, null, false, General)) with { Strategy = "fastest" }, "strategy", "must be one of longestIdle, mostSkilled, roundRobin" },
        { Document(new RoutingRuleDocument("a", null, "q", 0, null, false, General)) with { Agents = [new("a1", ["nowhere"], null)] }, "agents[0].groups", "'nowhere' is not one of the groups" },
    };

    [Theory, MemberData(nameof(Invalid))]
    public void InvalidConfigurations_NameEveryProblem(RoutingConfigurationDocument document, string field, string reason)
    {
        var error = RoutingConfiguration.Validate(document).Error;
        Assert.NotNull(error);
        Assert.True(error.Fields!.TryGetValue(field, out var reasons), $"no error for {field}: {string.Join("; ", error.Fields.Select(f => f.Key))}");
        Assert.Contains(reasons, r => r.Contains(reason, StringComparison.Ordinal));
    }
}
