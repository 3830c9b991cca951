using System.Globalization;
using Switchboard.Core.Common;

namespace Switchboard.Core.Staffing;

/// <summary>The staffing engines behind the API: every input checked and every problem named, the engines pure.</summary>
public static class StaffingService
{
    /// <summary>At most a week of 5-minute intervals per request.</summary>
    public const int MaxIntervals = 7 * 24 * 12;

    public const int MaxTemplates = 50;

    public static Result<ErlangView> Erlang(ErlangInput input)
    {
        var errors = new ValidationErrors();
        var target = input.Validate(errors);
        if (input.Calls is not { } calls || calls < 0 || calls > 1_000_000)
        {
            errors.Add("calls", "is required: calls in one interval, 0 to 1,000,000.");
        }
        var minutes = input.IntervalMinutes ?? 30;
        if (minutes is <= 0 or > 1_440)
        {
            errors.Add("intervalMinutes", "must be above 0 and at most 1,440.");
        }
        if (input.Agents is < 0 or > 1_000_000)
        {
            errors.Add("agents", "must be 0 to 1,000,000.");
        }
        if (errors.Any || target is null)
        {
            return errors.ToError();
        }
        var erlangs = input.Calls!.Value * target.Aht.TotalSeconds / (minutes * 60);
        var metrics = input.Agents is { } agents
            ? ErlangC.Evaluate(agents, erlangs, target.Aht, target.AnswerWithin)
            : ErlangC.AgentsFor(erlangs, target.Aht, target.ServiceLevel, target.AnswerWithin, target.MaxOccupancy);
        double? abandon = target.Patience is { } patience && metrics.Agents > 0 ? ErlangA.Evaluate(metrics.Agents, erlangs, target.Aht, patience).ProbabilityOfAbandon : null;
        return new ErlangView(erlangs, metrics.Agents, Shrinkage.Scheduled(metrics.Agents, target.Shrinkage), metrics.ServiceLevel, metrics.ProbabilityOfWait,
            metrics.AverageSpeedOfAnswer == TimeSpan.MaxValue ? null : metrics.AverageSpeedOfAnswer.TotalSeconds, metrics.Occupancy, abandon);
    }

    public static Result<IntervalRequirement[]> Requirement(RequirementInput input)
    {
        var errors = new ValidationErrors();
        var target = (input.Target ?? new StaffingTargetInput()).Validate(errors, "target.");
        var step = Step(input.IntervalMinutes, errors);
        var volumes = input.Volumes ?? [];
        if (volumes.Count is 0 or > MaxIntervals)
        {
            errors.Add("volumes", $"must hold 1 to {MaxIntervals:N0} intervals.");
        }
        for (var i = 0; i < Math.Min(volumes.Count, MaxIntervals); i++)
        {
            if (volumes[i].Start is null)
            {
                errors.Add($"volumes[{i}].start", "is required.");
            }
            if (volumes[i].Calls is not { } c || c < 0 || c > 1_000_000 || !double.IsFinite(c))
            {
                errors.Add($"volumes[{i}].calls", "must be 0 to 1,000,000.");
            }
        }
        if (errors.Any || target is null)
        {
            return errors.ToError();
        }
        return (IntervalRequirement[])[.. Requirements.For(volumes.Select(v => (v.Start!.Value, v.Calls!.Value)), step, target)];
    }

    public static Result<ShiftPlan> Plan(PlanInput input)
    {
        var errors = new ValidationErrors();
        var step = Step(input.IntervalMinutes, errors);
        var requirement = input.Requirement ?? [];
        if (requirement.Count is 0 or > MaxIntervals)
        {
            errors.Add("requirement", $"must hold 1 to {MaxIntervals:N0} intervals.");
        }
        var first = requirement.Count > 0 ? requirement[0].Start : null;
        for (var i = 0; i < Math.Min(requirement.Count, MaxIntervals); i++)
        {
            var (start, agents) = (requirement[i].Start, requirement[i].Agents);
            if (start is null || first is null || step <= TimeSpan.Zero || start.Value != first.Value + i * step)
            {
                errors.Add($"requirement[{i}].start", "must follow the previous interval by intervalMinutes.");
            }
            if (agents is not (>= 0 and <= 100_000))
            {
                errors.Add($"requirement[{i}].agents", "must be 0 to 100,000.");
            }
        }
        var templates = new List<ShiftTemplate>();
        var inputs = input.Templates ?? [];
        if (inputs.Count is 0 or > MaxTemplates)
        {
            errors.Add("templates", $"must hold 1 to {MaxTemplates} shift templates.");
        }
        for (var i = 0; i < Math.Min(inputs.Count, MaxTemplates); i++)
        {
            if (Template(inputs[i], $"templates[{i}].", step, errors) is { } template)
            {
                templates.Add(template);
            }
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        return ShiftPlanner.Plan([.. requirement.Select(r => (r.Start!.Value, r.Agents!.Value))], step, templates);
    }

    private static TimeSpan Step(double? minutes, ValidationErrors errors)
    {
        var value = minutes ?? 30;
        if (value is < 5 or > 240 || Math.Abs(value - Math.Round(value)) > 1e-9)
        {
            errors.Add("intervalMinutes", "must be a whole number of minutes from 5 to 240.");
            return TimeSpan.Zero;
        }
        return TimeSpan.FromMinutes(value);
    }

    private static ShiftTemplate? Template(ShiftTemplateInput input, string prefix, TimeSpan step, ValidationErrors errors)
    {
        var count = 0;
        void Fail(string field, string reason)
        {
            errors.Add(prefix + field, reason);
            count++;
        }
        errors.MaxLength(prefix + "name", input.Name, 64);
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            Fail("name", "is required.");
        }
        if (input.LengthHours is not (> 0 and <= 16))
        {
            Fail("lengthHours", "must be above 0 and at most 16.");
        }
        var times = new TimeOnly[2];
        foreach (var (field, value, index) in new[] { ("earliestStart", input.EarliestStart, 0), ("latestStart", input.LatestStart, 1) })
        {
            if (!TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out times[index]))
            {
                Fail(field, "must be a time of day, HH:mm.");
            }
        }
        if (count == 0 && times[1] < times[0])
        {
            Fail("latestStart", "must not be before earliestStart.");
        }
        var every = input.StartEveryMinutes ?? step.TotalMinutes;
        if (every <= 0 || step <= TimeSpan.Zero || every % step.TotalMinutes != 0)
        {
            Fail("startEveryMinutes", "must be a multiple of intervalMinutes.");
        }
        var breakMinutes = input.BreakMinutes ?? 0;
        if (breakMinutes < 0 || (breakMinutes > 0 && (input.BreakEarliestHours is not >= 0 || input.BreakLatestHours < input.BreakEarliestHours
            || (input.BreakLatestHours ?? input.BreakEarliestHours) * 60 + breakMinutes > (input.LengthHours ?? 0) * 60)))
        {
            Fail("breakMinutes", "must be 0, or fit inside the shift between breakEarliestHours and breakLatestHours.");
        }
        return count > 0 ? null : new ShiftTemplate(input.Name!, TimeSpan.FromHours(input.LengthHours!.Value), times[0], times[1], TimeSpan.FromMinutes(every),
            TimeSpan.FromMinutes(breakMinutes), TimeSpan.FromHours(input.BreakEarliestHours ?? 0), TimeSpan.FromHours(input.BreakLatestHours ?? input.BreakEarliestHours ?? 0),
            input.PaidBreak);
    }
}
