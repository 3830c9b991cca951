using Switchboard.Core.Common;

namespace Switchboard.Core.Staffing;

/// <summary>A service-level target as sent over the API; validated into <see cref="StaffingTarget"/>.</summary>
public class StaffingTargetInput
{
    /// <summary>Average handling time, seconds (default 180).</summary>
    public double? AhtSeconds { get; set; }

    /// <summary>Share of calls answered within <see cref="AnswerWithinSeconds"/> (default 0.8).</summary>
    public double? ServiceLevel { get; set; }

    /// <summary>Service-level time, seconds (default 20).</summary>
    public double? AnswerWithinSeconds { get; set; }

    /// <summary>Share of paid time off the phones (default 0).</summary>
    public double? Shrinkage { get; set; }

    /// <summary>Highest accepted occupancy (default 1).</summary>
    public double? MaxOccupancy { get; set; }

    /// <summary>Mean patience before hanging up, seconds; when given, P(abandon) comes from Erlang A.</summary>
    public double? PatienceSeconds { get; set; }

    /// <summary>The input's name for each of <see cref="StaffingTarget"/>'s values.</summary>
    private static readonly Dictionary<string, string> InputNames = new(StringComparer.Ordinal)
    {
        [nameof(StaffingTarget.Aht)] = "ahtSeconds", [nameof(StaffingTarget.ServiceLevel)] = "serviceLevel",
        [nameof(StaffingTarget.AnswerWithin)] = "answerWithinSeconds", [nameof(StaffingTarget.Shrinkage)] = "shrinkage",
        [nameof(StaffingTarget.MaxOccupancy)] = "maxOccupancy", [nameof(StaffingTarget.Patience)] = "patienceSeconds",
    };

    internal StaffingTarget? Validate(ValidationErrors errors, string prefix = "")
    {
        var target = new StaffingTarget(TimeSpan.FromSeconds(AhtSeconds ?? 180), ServiceLevel ?? 0.8, TimeSpan.FromSeconds(AnswerWithinSeconds ?? 20),
            Shrinkage ?? 0, MaxOccupancy ?? 1, PatienceSeconds is { } p ? TimeSpan.FromSeconds(p) : null);
        foreach (var (field, seconds) in new[] { ("ahtSeconds", AhtSeconds), ("answerWithinSeconds", AnswerWithinSeconds), ("patienceSeconds", PatienceSeconds) })
        {
            if (seconds > 86_400)
            {
                errors.Add(prefix + field, "must be at most a day (86,400 s).");
                return null;
            }
        }
        if (target.Problem() is var (property, reason))
        {
            errors.Add(prefix + InputNames[property], reason);
            return null;
        }
        return target;
    }
}

/// <summary>One queue's load for an Erlang calculation.</summary>
public sealed class ErlangInput : StaffingTargetInput
{
    /// <summary>Calls offered in one interval.</summary>
    public double? Calls { get; set; }

    /// <summary>Minutes per interval (default 30).</summary>
    public double? IntervalMinutes { get; set; }

    /// <summary>Agents to evaluate; omitted, the fewest that meet the target are found.</summary>
    public int? Agents { get; set; }
}

/// <summary>What agents on a load achieve (Erlang C; P(abandon) by Erlang A when patience is given). The mean wait is null when the agents cannot keep up.</summary>
public sealed record ErlangView(
    double Erlangs, int Agents, int Scheduled, double ServiceLevel, double ProbabilityOfWait, double? AverageSpeedOfAnswerSeconds, double Occupancy,
    double? ProbabilityOfAbandon);

/// <summary>Calls forecast or seen in one interval.</summary>
public sealed record VolumeInput(DateTime? Start, double? Calls);

/// <summary>Volumes per interval, to turn into agents.</summary>
public sealed class RequirementInput
{
    public double? IntervalMinutes { get; set; }

    public StaffingTargetInput? Target { get; set; }

    public IReadOnlyList<VolumeInput>? Volumes { get; set; }
}

/// <summary>Agents needed from a time (one interval).</summary>
public sealed record RequiredInput(DateTime? Start, int? Agents);

/// <summary>A shift template as sent over the API (times of day as HH:mm).</summary>
public sealed record ShiftTemplateInput(
    string? Name, double? LengthHours, string? EarliestStart, string? LatestStart, double? StartEveryMinutes,
    double? BreakMinutes, double? BreakEarliestHours, double? BreakLatestHours, bool PaidBreak = false);

/// <summary>A requirement and the shifts agents can work, to plan.</summary>
public sealed class PlanInput
{
    public double? IntervalMinutes { get; set; }

    public IReadOnlyList<RequiredInput>? Requirement { get; set; }

    public IReadOnlyList<ShiftTemplateInput>? Templates { get; set; }
}
