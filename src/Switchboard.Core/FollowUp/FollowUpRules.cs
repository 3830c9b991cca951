using System.Text.RegularExpressions;
using Switchboard.Core.Common;

namespace Switchboard.Core.FollowUp;

/// <summary>A follow-up rule set as written (JSON): rules in order; every rule whose condition holds acts.</summary>
public sealed record FollowUpDocument(IReadOnlyList<FollowUpRuleInput>? Rules);

/// <summary>A rule as written.</summary>
public sealed record FollowUpRuleInput(string? Name, string? When, IReadOnlyList<FollowUpActionInput>? Actions);

/// <summary>
/// An action as written. <c>opportunity</c>: <see cref="Title"/>, <see cref="Stage"/>; <c>task</c>: <see cref="Title"/>,
/// <see cref="Assign"/>, <see cref="Due"/>; <c>callback</c>: a task for the call's own agent; <c>notify</c>: a task for
/// <see cref="Team"/>, due now.
/// </summary>
/// <param name="Type">opportunity, task, callback or notify.</param>
/// <param name="Title">The opportunity's or task's title.</param>
/// <param name="Stage">An opportunity's stage (default qualification).</param>
/// <param name="Assign">Who: <c>owner</c> (the account owner), <c>roundRobin</c> (the one of <see cref="Agents"/> with fewest open tasks), <c>territory</c> (by the customer's region in <see cref="Territories"/>), <c>agent</c> (<see cref="Agent"/>), <c>team</c> (<see cref="Team"/>), <c>caller</c> (the call's agent).</param>
/// <param name="Due"><c>now</c>, <c>nextBusinessDay</c> (09:00, Monday to Friday, in <c>FollowUp:TimeZone</c>), or a span: <c>4h</c>, <c>2d</c>.</param>
/// <param name="Agents">For roundRobin.</param>
/// <param name="Territories">For territory: region → agent.</param>
/// <param name="Agent">For agent.</param>
/// <param name="Team">For team and notify; also where a task goes when its agent cannot be found (default <c>sales</c>).</param>
public sealed record FollowUpActionInput(
    string? Type, string? Title, string? Stage, string? Assign, string? Due, IReadOnlyList<string>? Agents,
    IReadOnlyDictionary<string, string>? Territories, string? Agent, string? Team);

/// <summary>What a rule's condition may test after a call: the wrap-up, the transcript and the customer's facts.</summary>
public sealed record FollowUpFacts(
    string Disposition, IReadOnlyList<string> Keywords, string Text, string Tier, string Lifecycle, string Region, IReadOnlyList<string> Tags,
    string Language, bool OpenComplaint)
{
    public static IReadOnlyDictionary<string, object> Sample { get; } =
        new FollowUpFacts("resolved", ["sample"], "sample", "vip", "active", "sample", ["sample"], "zh", false).Parameters();

    public Dictionary<string, object> Parameters() => new(StringComparer.Ordinal)
    {
        ["disposition"] = Disposition, ["keywords"] = Keywords.ToArray(), ["tier"] = Tier, ["lifecycle"] = Lifecycle, ["region"] = Region,
        ["tags"] = Tags.ToArray(), ["language"] = Language, ["openComplaint"] = OpenComplaint, ["text"] = Text,
    };
}

/// <summary>A rule ready to run.</summary>
public sealed record FollowUpRule(string Name, RuleCondition When, IReadOnlyList<FollowUpActionInput> Actions);

/// <summary>
/// Follow-up rules (docs/wrap-up.md): parsed and checked when saved — every problem named by its path — and run against
/// a confirmed wrap-up. Conditions are NCalc, as routing's, over <see cref="FollowUpFacts"/>, with one more function:
/// <c>mentions('upgrade', '升级', …)</c>, true when the summary or the transcript says any of them (Chinese anywhere,
/// full- or half-width; English as whole words, in any of their simple inflections: upgrade, upgrades, upgraded, upgrading).
/// </summary>
public static partial class FollowUpRules
{
    public static readonly string[] Types = ["opportunity", "task", "callback", "notify"];
    public static readonly string[] Assignments = ["owner", "roundRobin", "territory", "agent", "team", "caller"];

    public static Result<IReadOnlyList<FollowUpRule>> Parse(FollowUpDocument? document)
    {
        var errors = new ValidationErrors();
        var rules = new List<FollowUpRule>();
        if (document?.Rules is not { } given)
        {
            return Error.Validation("rules", "is required (it may be empty).");
        }
        if (given.Count > 200)
        {
            return Error.Validation("rules", "may hold at most 200 rules.");
        }
        for (var i = 0; i < given.Count; i++)
        {
            var rule = given[i];
            var at = $"rules[{i}]";
            errors.Required(at + ".name", rule.Name, 100);
            RuleCondition? when = null;
            if (string.IsNullOrWhiteSpace(rule.When))
            {
                errors.Add(at + ".when", "is required (write true for always).");
            }
            else if (RuleCondition.Parse(rule.When, at + ".when", FollowUpFacts.Sample, Functions(FollowUpFacts.Sample)) is var parsed && parsed.IsSuccess)
            {
                when = parsed.Value;
            }
            else
            {
                errors.Add(at + ".when", parsed.Error!.Fields?.Values.SelectMany(v => v).FirstOrDefault() ?? parsed.Error.Message);
            }
            if (rule.Actions is not { Count: > 0 and <= 10 })
            {
                errors.Add(at + ".actions", "must hold 1 to 10 actions.");
            }
            for (var j = 0; j < (rule.Actions?.Count ?? 0); j++)
            {
                CheckAction(rule.Actions![j], $"{at}.actions[{j}]", errors);
            }
            if (when is not null && rule.Actions is { Count: > 0 })
            {
                rules.Add(new FollowUpRule(rule.Name ?? "", when, rule.Actions));
            }
        }
        return errors.Any ? errors.ToError() : rules;
    }

    private static void CheckAction(FollowUpActionInput action, string at, ValidationErrors errors)
    {
        if (!Types.Contains(action.Type))
        {
            errors.Add(at + ".type", $"must be one of {string.Join(", ", Types)}.");
            return;
        }
        if (action.Type is "opportunity" or "task")
        {
            errors.Required(at + ".title", action.Title, 200);
        }
        if (action.Stage is not null && !Enum.TryParse<Customers.OpportunityStage>(action.Stage, ignoreCase: true, out _))
        {
            errors.Add(at + ".stage", "is not an opportunity stage.");
        }
        if (action.Type == "task")
        {
            switch (action.Assign)
            {
                case null or "owner" or "caller":
                    break;
                case "roundRobin" when action.Agents is not { Count: > 0 }:
                    errors.Add(at + ".agents", "must name the agents to take turns.");
                    break;
                case "territory" when action.Territories is not { Count: > 0 }:
                    errors.Add(at + ".territories", "must map regions to agents.");
                    break;
                case "agent" when string.IsNullOrWhiteSpace(action.Agent):
                    errors.Add(at + ".agent", "is required.");
                    break;
                case "team" when string.IsNullOrWhiteSpace(action.Team):
                    errors.Add(at + ".team", "is required.");
                    break;
                case var other when !Assignments.Contains(other):
                    errors.Add(at + ".assign", $"must be one of {string.Join(", ", Assignments)}.");
                    break;
            }
        }
        if (action.Type == "notify" && string.IsNullOrWhiteSpace(action.Team))
        {
            errors.Add(at + ".team", "is required.");
        }
        if (action.Due is not null && DueSpan(action.Due) is null && action.Due is not ("now" or "nextBusinessDay"))
        {
            errors.Add(at + ".due", "must be now, nextBusinessDay, or hours or days like 4h, 2d.");
        }
    }

    /// <summary>The rule language's functions, over a wrap-up's facts.</summary>
    public static IReadOnlyDictionary<string, Func<object?[], object?>> Functions(IReadOnlyDictionary<string, object> facts) =>
        new Dictionary<string, Func<object?[], object?>>(StringComparer.Ordinal)
        {
            ["mentions"] = words => facts.TryGetValue("text", out var text) && text is string said
                && words.OfType<string>().Any(word => Mentions(said, word)),
        };

    /// <summary>Whether <paramref name="text"/> says <paramref name="word"/>: Chinese anywhere, English as a whole word or a simple inflection.</summary>
    public static bool Mentions(string text, string word)
    {
        var haystack = text.Normalize(System.Text.NormalizationForm.FormKC);
        var needle = word.Normalize(System.Text.NormalizationForm.FormKC).Trim();
        if (needle.Length == 0)
        {
            return false;
        }
        if (needle.Any(c => c > 0x2E7F))
        {
            return haystack.Contains(needle, StringComparison.Ordinal);
        }
        var stem = needle.EndsWith('e') && needle.Length > 3 ? needle[..^1] : needle;
        return Regex.IsMatch(haystack, $@"\b{Regex.Escape(stem)}(e|es|s|ed|d|ing)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }

    /// <summary>A span like <c>4h</c> or <c>2d</c>, or null.</summary>
    public static TimeSpan? DueSpan(string due) =>
        SpanPattern().Match(due) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 365
            ? m.Groups[2].Value == "h" ? TimeSpan.FromHours(n) : TimeSpan.FromDays(n)
            : null;

    /// <summary>When a task is due: <c>nextBusinessDay</c> is 09:00 local on the next Monday-to-Friday day.</summary>
    public static DateTime DueAt(string? due, DateTime nowUtc, TimeZoneInfo zone)
    {
        if (due is null or "nextBusinessDay")
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone).Date.AddDays(1);
            while (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                local = local.AddDays(1);
            }
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local.AddHours(9), DateTimeKind.Unspecified), zone);
        }
        return due == "now" ? nowUtc : nowUtc + DueSpan(due)!.Value;
    }

    [GeneratedRegex(@"^(\d{1,3})([hd])$")]
    private static partial Regex SpanPattern();
}
