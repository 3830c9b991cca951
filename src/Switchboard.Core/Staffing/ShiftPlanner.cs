namespace Switchboard.Core.Staffing;

/// <summary>
/// A kind of shift agents can work: its length, the times it may start (from earliest to latest, every
/// <see cref="StartEvery"/>), and one break of <see cref="Break"/> that starts between
/// <see cref="BreakEarliest"/> and <see cref="BreakLatest"/> after the shift does. Breaks are unpaid unless
/// <see cref="PaidBreak"/>.
/// </summary>
public sealed record ShiftTemplate(
    string Name, TimeSpan Length, TimeOnly EarliestStart, TimeOnly LatestStart, TimeSpan StartEvery,
    TimeSpan Break, TimeSpan BreakEarliest, TimeSpan BreakLatest, bool PaidBreak = false);

/// <summary>One shift in a plan.</summary>
public sealed record PlannedShift(string Template, DateTime Start, DateTime End, DateTime? BreakStart, DateTime? BreakEnd);

/// <summary>Agents required and planned in one interval; <see cref="Over"/> is planned minus required.</summary>
public sealed record IntervalCoverage(DateTime Start, int Required, int Planned)
{
    public int Over => Planned - Required;
}

/// <summary>A plan: the shifts, the coverage per interval, paid hours against the hours the requirement needs at least.</summary>
/// <param name="Shifts">The shifts, by start.</param>
/// <param name="Coverage">Required and planned agents per interval.</param>
/// <param name="PaidHours">Hours paid for the shifts.</param>
/// <param name="RequiredHours">Agent-hours the requirement needs (a lower bound on paid hours when breaks are unpaid).</param>
/// <param name="Uncovered">Intervals no template can cover (e.g. earlier than any shift may start): reported, never hidden.</param>
public sealed record ShiftPlan(
    IReadOnlyList<PlannedShift> Shifts, IReadOnlyList<IntervalCoverage> Coverage, double PaidHours, double RequiredHours, IReadOnlyList<DateTime> Uncovered);

/// <summary>
/// Turns a per-interval requirement into shifts that never under-staff and keep paid hours low (docs/adr/0010).
/// A greedy set cover: every (template, start, break position) is a candidate; while some interval is short, take
/// the earliest such interval and add the candidate covering it that covers the most short intervals per paid hour
/// (ties: staggered breaks, longer shifts, later starts so shifts reach as far right as they can); then drop any
/// shift the plan can do without.
/// Every interval lies on one grid of equal steps.
/// </summary>
public static class ShiftPlanner
{
    public static ShiftPlan Plan(IReadOnlyList<(DateTime Start, int Required)> requirement, TimeSpan step, IReadOnlyList<ShiftTemplate> templates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        if (requirement.Count == 0)
        {
            return new ShiftPlan([], [], 0, 0, []);
        }
        var origin = requirement[0].Start;
        var horizon = requirement.Count;
        var required = new int[horizon];
        foreach (var (start, count) in requirement)
        {
            var index = Index(start, origin, step);
            if (index < 0 || index >= horizon || (start - origin).Ticks % step.Ticks != 0)
            {
                throw new ArgumentException("Requirement intervals must be consecutive steps from the first.", nameof(requirement));
            }
            required[index] = Math.Max(0, count);
        }

        var candidates = Candidates(origin, horizon, step, templates);
        var deficit = (int[])required.Clone();
        var chosen = new List<Candidate>();
        var uncovered = new List<DateTime>();
        for (var t = 0; t < horizon; t++)
        {
            while (deficit[t] > 0)
            {
                Candidate? best = null;
                var bestScore = 0.0;
                var bestBreakShortfall = 0;
                foreach (var candidate in candidates)
                {
                    if (!candidate.Works(t))
                    {
                        continue;
                    }
                    var useful = 0;
                    foreach (var i in candidate.Intervals)
                    {
                        if (deficit[i] > 0)
                        {
                            useful++;
                        }
                    }
                    // Ties: the break where the most agents are already planned (so breaks stagger), then the longer shift
                    // (fewer people to schedule and hand over between), then the later start.
                    var score = useful / candidate.PaidHours;
                    var breakShortfall = candidate.Breaks.Sum(i => deficit[i]);
                    if (best is null || score > bestScore + 1e-12 || (Math.Abs(score - bestScore) <= 1e-12 && Better(candidate, breakShortfall, best, bestBreakShortfall)))
                    {
                        (best, bestScore, bestBreakShortfall) = (candidate, score, breakShortfall);
                    }
                }
                if (best is null)
                {
                    uncovered.Add(origin + t * step);
                    break;
                }
                chosen.Add(best);
                foreach (var i in best.Intervals)
                {
                    deficit[i]--;
                }
            }
        }

        // Drop shifts the plan can do without (the greedy may over-cover once later shifts arrive), longest first.
        var planned = new int[horizon];
        foreach (var shift in chosen)
        {
            foreach (var i in shift.Intervals)
            {
                planned[i]++;
            }
        }
        foreach (var shift in chosen.OrderByDescending(c => c.PaidHours).ToList())
        {
            if (shift.Intervals.All(i => planned[i] - 1 >= required[i]))
            {
                chosen.Remove(shift);
                foreach (var i in shift.Intervals)
                {
                    planned[i]--;
                }
            }
        }

        var shifts = chosen.OrderBy(c => c.Start).ThenBy(c => c.Template.Name, StringComparer.Ordinal)
            .Select(c => new PlannedShift(c.Template.Name, c.Start, c.Start + c.Template.Length,
                c.BreakAt is { } b ? c.Start + b : null, c.BreakAt is { } e ? c.Start + e + c.Template.Break : null))
            .ToList();
        var coverage = Enumerable.Range(0, horizon).Select(i => new IntervalCoverage(origin + i * step, required[i], planned[i])).ToList();
        return new ShiftPlan(shifts, coverage, chosen.Sum(c => c.PaidHours), required.Sum() * step.TotalHours, uncovered);
    }

    private static bool Better(Candidate candidate, int breakShortfall, Candidate best, int bestBreakShortfall) =>
        breakShortfall != bestBreakShortfall ? breakShortfall < bestBreakShortfall
        : candidate.Template.Length != best.Template.Length ? candidate.Template.Length > best.Template.Length
        : candidate.First > best.First;

    private static int Index(DateTime at, DateTime origin, TimeSpan step) => (int)((at - origin).Ticks / step.Ticks);

    private static List<Candidate> Candidates(DateTime origin, int horizon, TimeSpan step, IReadOnlyList<ShiftTemplate> templates)
    {
        var end = origin + horizon * step;
        var candidates = new List<Candidate>();
        foreach (var template in templates)
        {
            if (template.Length <= TimeSpan.Zero || template.StartEvery <= TimeSpan.Zero || template.Break < TimeSpan.Zero)
            {
                throw new ArgumentException($"Shift template '{template.Name}': length and start step must be positive, the break not negative.", nameof(templates));
            }
            var breakOffsets = template.Break == TimeSpan.Zero ? [(TimeSpan?)null] : Offsets(template.BreakEarliest, template.BreakLatest, step).Select(o => (TimeSpan?)o).ToList();
            for (var day = origin.Date; day < end; day = day.AddDays(1))
            {
                for (var start = day + template.EarliestStart.ToTimeSpan(); start <= day + template.LatestStart.ToTimeSpan(); start += template.StartEvery)
                {
                    if (start < origin || start + template.Length > end || (start - origin).Ticks % step.Ticks != 0)
                    {
                        continue;
                    }
                    foreach (var breakAt in breakOffsets)
                    {
                        if (breakAt is { } b && b + template.Break > template.Length)
                        {
                            continue;
                        }
                        var first = Index(start, origin, step);
                        var all = Enumerable.Range(first, (int)(template.Length.Ticks / step.Ticks)).ToArray();
                        bool OnBreak(int i) => breakAt is { } b && i * step >= start - origin + b && i * step < start - origin + b + template.Break;
                        var paid = (template.PaidBreak ? template.Length : template.Length - template.Break).TotalHours;
                        candidates.Add(new Candidate(template, start, breakAt, first, [.. all.Where(i => !OnBreak(i))], [.. all.Where(OnBreak)], paid));
                    }
                }
            }
        }
        return candidates;
    }

    private static IEnumerable<TimeSpan> Offsets(TimeSpan from, TimeSpan to, TimeSpan step)
    {
        for (var offset = from; offset <= to; offset += step)
        {
            yield return offset;
        }
    }

    private sealed record Candidate(ShiftTemplate Template, DateTime Start, TimeSpan? BreakAt, int First, int[] Intervals, int[] Breaks, double PaidHours)
    {
        private readonly HashSet<int> _works = [.. Intervals];

        public bool Works(int interval) => _works.Contains(interval);
    }
}
