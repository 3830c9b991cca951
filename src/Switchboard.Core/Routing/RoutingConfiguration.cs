using Switchboard.Core.Common;

namespace Switchboard.Core.Routing;

/// <summary>One step of a rule's target: agents of a group with skills at least at a level, for a time before the target widens.</summary>
public sealed record RoutingStepDocument(string? Group, IReadOnlyDictionary<string, int>? Skills, int? TimeoutSeconds);

/// <summary>A rule as written: when the condition holds (or always, without one), route so.</summary>
public sealed record RoutingRuleDocument(
    string? Name, string? When, string? Queue, int? Priority, int? AgeCreditSeconds, bool Bypass, IReadOnlyList<RoutingStepDocument>? Steps);

/// <summary>An agent's membership and skills (levels 1–5; languages are skills such as "zh-CN").</summary>
public sealed record RoutingAgentDocument(string? Id, IReadOnlyList<string>? Groups, IReadOnlyDictionary<string, int>? Skills);

/// <summary>
/// The routing configuration as one versioned JSON document, as Twilio TaskRouter's workflows are: groups, agents,
/// rules evaluated top to bottom (first match wins; the last rule must have no condition, so every call is routed),
/// how an agent is chosen among the eligible, and the timers.
/// </summary>
public sealed record RoutingConfigurationDocument(
    IReadOnlyList<string>? Groups, IReadOnlyList<RoutingAgentDocument>? Agents, IReadOnlyList<RoutingRuleDocument>? Rules,
    string? Strategy, int? RingTimeoutSeconds, int? MissedOffersBeforeAway, int? WrapUpSeconds);

/// <summary>How an agent is chosen among the eligible.</summary>
public enum AgentStrategy
{
    /// <summary>The agent idle longest (fair, the default).</summary>
    LongestIdle,

    /// <summary>The highest sum of the required skills' levels, then longest idle.</summary>
    MostSkilled,

    /// <summary>In turn, by agent id after the last one offered.</summary>
    RoundRobin,
}

public sealed record RoutingStep(IReadOnlyList<string> Groups, IReadOnlyDictionary<string, int> Skills, TimeSpan? Timeout)
{
    /// <summary>The groups as a set, for the engine's look-ups.</summary>
    internal HashSet<string> GroupSet { get; } = new(Groups, StringComparer.Ordinal);

    /// <summary>The required skills as an array: the routing engine checks them for every candidate, without allocating.</summary>
    internal KeyValuePair<string, int>[] RequiredSkills { get; } = [.. Skills];
}

public sealed record RoutingRule(string Name, RuleCondition? When, string Queue, int Priority, TimeSpan AgeCredit, bool Bypass, IReadOnlyList<RoutingStep> Steps);

public sealed record RoutingAgent(string Id, IReadOnlySet<string> Groups, IReadOnlyDictionary<string, int> Skills)
{
    internal string[] GroupList { get; } = [.. Groups];
}

/// <summary>Where a call goes, and why.</summary>
public sealed record RoutingDecision(string Rule, string Why, string Queue, int Priority, TimeSpan AgeCredit, bool Bypass, IReadOnlyList<RoutingStep> Steps);

/// <summary>A validated configuration: every rule parsed, every name checked.</summary>
public sealed class RoutingConfiguration
{
    private RoutingConfiguration(IReadOnlyList<RoutingRule> rules, IReadOnlyList<RoutingAgent> agents, AgentStrategy strategy, TimeSpan ring, int missed, TimeSpan wrapUp) =>
        (Rules, Agents, Strategy, RingTimeout, MissedOffersBeforeAway, WrapUp) = (rules, agents, strategy, ring, missed, wrapUp);

    public IReadOnlyList<RoutingRule> Rules { get; }

    public IReadOnlyList<RoutingAgent> Agents { get; }

    public AgentStrategy Strategy { get; }

    public TimeSpan RingTimeout { get; }

    public int MissedOffersBeforeAway { get; }

    public TimeSpan WrapUp { get; }

    /// <summary>The first rule that holds for the call; the last rule has no condition, so there always is one.</summary>
    public RoutingDecision Decide(CallFacts facts)
    {
        var parameters = facts.Parameters();
        foreach (var rule in Rules)
        {
            if (rule.When is null || rule.When.Evaluate(parameters))
            {
                var why = rule.When is null ? $"rule '{rule.Name}' (no condition) matched: no earlier rule held" : $"rule '{rule.Name}' matched: {rule.When.Text}";
                return new RoutingDecision(rule.Name, why, rule.Queue, rule.Priority, rule.AgeCredit, rule.Bypass, rule.Steps);
            }
        }
        throw new InvalidOperationException("A validated configuration ends with a rule without a condition.");
    }

    /// <summary>Checks a document and names every problem at once (field paths such as <c>rules[2].when</c>).</summary>
    public static Result<RoutingConfiguration> Validate(RoutingConfigurationDocument document)
    {
        var errors = new ValidationErrors();
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, i) in (document.Groups ?? []).Select((g, i) => (g, i)))
        {
            if (string.IsNullOrWhiteSpace(group) || group.Length > Persistence.Limits.Code)
            {
                errors.Add($"groups[{i}]", $"must be a name of 1 to {Persistence.Limits.Code} characters.");
            }
            else if (!groups.Add(group))
            {
                errors.Add($"groups[{i}]", $"'{group}' is listed twice.");
            }
        }
        if (groups.Count == 0)
        {
            errors.Add("groups", "must name at least one agent group.");
        }

        var agents = new List<RoutingAgent>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (agent, i) in (document.Agents ?? []).Select((a, i) => (a, i)))
        {
            var field = $"agents[{i}]";
            if (string.IsNullOrWhiteSpace(agent.Id) || agent.Id.Length > Persistence.Limits.Code)
            {
                errors.Add(field + ".id", $"must be 1 to {Persistence.Limits.Code} characters.");
                continue;
            }
            if (!ids.Add(agent.Id))
            {
                errors.Add(field + ".id", $"'{agent.Id}' is listed twice.");
            }
            foreach (var group in (agent.Groups ?? []).Where(g => !groups.Contains(g)))
            {
                errors.Add(field + ".groups", $"'{group}' is not one of the groups.");
            }
            Skills(agent.Skills, field + ".skills", errors);
            agents.Add(new RoutingAgent(agent.Id, new HashSet<string>(agent.Groups ?? [], StringComparer.Ordinal), agent.Skills ?? new Dictionary<string, int>()));
        }
        if (agents.Count > 100_000)
        {
            errors.Add("agents", "may list at most 100,000 agents.");
        }

        var rules = new List<RoutingRule>();
        var ruleDocuments = document.Rules ?? [];
        if (ruleDocuments.Count is 0 or > 500)
        {
            errors.Add("rules", "must hold 1 to 500 rules.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(ruleDocuments.Count, 500); i++)
        {
            var rule = ruleDocuments[i];
            var field = $"rules[{i}]";
            if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > Persistence.Limits.Code)
            {
                errors.Add(field + ".name", $"must be 1 to {Persistence.Limits.Code} characters.");
            }
            else if (!names.Add(rule.Name))
            {
                errors.Add(field + ".name", $"'{rule.Name}' is used by an earlier rule.");
            }
            RuleCondition? condition = null;
            if (!string.IsNullOrWhiteSpace(rule.When))
            {
                var parsed = RuleCondition.Parse(rule.When, field + ".when", CallFacts.Sample);
                if (parsed.Error is { Fields: { } fields })
                {
                    foreach (var (key, reasons) in fields)
                    {
                        Array.ForEach(reasons, r => errors.Add(key, r));
                    }
                }
                else
                {
                    condition = parsed.Value;
                }
            }
            else if (i < ruleDocuments.Count - 1)
            {
                errors.Add(field + ".when", "is required on every rule but the last (a rule without a condition matches every call, so the rules after it could never match).");
            }
            if (i == ruleDocuments.Count - 1 && !string.IsNullOrWhiteSpace(rule.When))
            {
                errors.Add(field + ".when", "must be empty on the last rule, so that every call is routed somewhere.");
            }
            if (string.IsNullOrWhiteSpace(rule.Queue) || rule.Queue.Length > Persistence.Limits.Code)
            {
                errors.Add(field + ".queue", $"must be 1 to {Persistence.Limits.Code} characters.");
            }
            if (rule.Priority is < 0 or > 100)
            {
                errors.Add(field + ".priority", "must be 0 to 100.");
            }
            if (rule.AgeCreditSeconds is < 0 or > 3_600)
            {
                errors.Add(field + ".ageCreditSeconds", "must be 0 to 3,600.");
            }
            var steps = new List<RoutingStep>();
            var stepDocuments = rule.Steps ?? [];
            if (stepDocuments.Count is 0 or > 10)
            {
                errors.Add(field + ".steps", "must hold 1 to 10 steps.");
            }
            var widened = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 0; s < Math.Min(stepDocuments.Count, 10); s++)
            {
                var step = stepDocuments[s];
                var stepField = $"{field}.steps[{s}]";
                if (step.Group is null || !groups.Contains(step.Group))
                {
                    errors.Add(stepField + ".group", $"'{step.Group}' is not one of the groups.");
                }
                else
                {
                    widened.Add(step.Group);
                }
                Skills(step.Skills, stepField + ".skills", errors);
                if (s < stepDocuments.Count - 1 && step.TimeoutSeconds is not (>= 1 and <= 3_600))
                {
                    errors.Add(stepField + ".timeoutSeconds", "must be 1 to 3,600 on every step but the last (how long before the target widens).");
                }
                // A later step widens the target: its groups are those of every step so far.
                steps.Add(new RoutingStep([.. widened.Order(StringComparer.Ordinal)], step.Skills ?? new Dictionary<string, int>(),
                    s < stepDocuments.Count - 1 && step.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null));
            }
            rules.Add(new RoutingRule(rule.Name ?? "", condition, rule.Queue ?? "", rule.Priority ?? 0, TimeSpan.FromSeconds(rule.AgeCreditSeconds ?? 0), rule.Bypass, steps));
        }

        var strategy = AgentStrategy.LongestIdle;
        if (document.Strategy is { } name && !Enum.TryParse(name, ignoreCase: true, out strategy))
        {
            errors.Add("strategy", $"must be one of {string.Join(", ", Enum.GetNames<AgentStrategy>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");
        }
        if (document.RingTimeoutSeconds is < 5 or > 300)
        {
            errors.Add("ringTimeoutSeconds", "must be 5 to 300.");
        }
        if (document.MissedOffersBeforeAway is < 1 or > 20)
        {
            errors.Add("missedOffersBeforeAway", "must be 1 to 20.");
        }
        if (document.WrapUpSeconds is < 0 or > 3_600)
        {
            errors.Add("wrapUpSeconds", "must be 0 to 3,600.");
        }
        return errors.Any
            ? errors.ToError()
            : new RoutingConfiguration(rules, agents, strategy, TimeSpan.FromSeconds(document.RingTimeoutSeconds ?? 20),
                document.MissedOffersBeforeAway ?? 3, TimeSpan.FromSeconds(document.WrapUpSeconds ?? 30));
    }

    private static void Skills(IReadOnlyDictionary<string, int>? skills, string field, ValidationErrors errors)
    {
        foreach (var (skill, level) in skills ?? new Dictionary<string, int>())
        {
            if (string.IsNullOrWhiteSpace(skill) || skill.Length > Persistence.Limits.Code)
            {
                errors.Add(field, $"skill names must be 1 to {Persistence.Limits.Code} characters.");
            }
            if (level is < 1 or > 5)
            {
                errors.Add(field, $"'{skill}' must have a level from 1 to 5.");
            }
        }
    }
}
