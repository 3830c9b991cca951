namespace Switchboard.Core.Staffing;

/// <summary>What a queue must achieve: answer <see cref="ServiceLevel"/> of calls within <see cref="AnswerWithin"/>.</summary>
/// <param name="Aht">Average handling time (talk, hold and after-call work).</param>
/// <param name="ServiceLevel">Share of calls to answer within <paramref name="AnswerWithin"/>, e.g. 0.8.</param>
/// <param name="AnswerWithin">The service-level time, e.g. 20 s.</param>
/// <param name="Shrinkage">Share of paid time off the phones, e.g. 0.3.</param>
/// <param name="MaxOccupancy">Highest share of time on calls the center accepts, e.g. 0.9.</param>
/// <param name="Patience">Mean time callers wait before hanging up; when known, P(abandon) is reported by Erlang A.</param>
public sealed record StaffingTarget(TimeSpan Aht, double ServiceLevel, TimeSpan AnswerWithin, double Shrinkage = 0, double MaxOccupancy = 1, TimeSpan? Patience = null)
{
    /// <summary>The first thing wrong with the target (which of its values, and why), or null.</summary>
    public (string Field, string Reason)? Problem() =>
        Aht <= TimeSpan.Zero ? (nameof(Aht), "must be positive.")
        : ServiceLevel is <= 0 or >= 1 ? (nameof(ServiceLevel), "must be above 0 and below 1.")
        : AnswerWithin < TimeSpan.Zero ? (nameof(AnswerWithin), "must not be negative.")
        : Shrinkage is < 0 or >= 1 ? (nameof(Shrinkage), "must be at least 0 and below 1.")
        : MaxOccupancy is <= 0 or > 1 ? (nameof(MaxOccupancy), "must be above 0 and at most 1.")
        : Patience <= TimeSpan.Zero ? (nameof(Patience), "must be positive.")
        : null;
}

/// <summary>Agents one interval needs: on the phones (Erlang C) and scheduled (after shrinkage), with what they achieve.</summary>
public sealed record IntervalRequirement(
    DateTime Start, double Calls, double Erlangs, int Agents, int Scheduled, double ServiceLevel, double ProbabilityOfWait,
    TimeSpan AverageSpeedOfAnswer, double Occupancy, double? ProbabilityOfAbandon);

/// <summary>Turns forecast volumes into agents per interval.</summary>
public static class Requirements
{
    public static IReadOnlyList<IntervalRequirement> For(IEnumerable<(DateTime Start, double Calls)> volumes, TimeSpan interval, StaffingTarget target) =>
        For(volumes.Select(v => (v.Start, interval, v.Calls)), target);

    /// <summary>Intervals of their own lengths (a day whose last interval is shorter, e.g. 21:00–21:05).</summary>
    public static IReadOnlyList<IntervalRequirement> For(IEnumerable<(DateTime Start, TimeSpan Length, double Calls)> volumes, StaffingTarget target)
    {
        if (target.Problem() is var (field, reason))
        {
            throw new ArgumentException($"{field} {reason}", nameof(target));
        }
        return [.. volumes.Select(v =>
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(v.Length, TimeSpan.Zero);
            var erlangs = Math.Max(0, v.Calls) * target.Aht.TotalSeconds / v.Length.TotalSeconds;
            var needed = ErlangC.AgentsFor(erlangs, target.Aht, target.ServiceLevel, target.AnswerWithin, target.MaxOccupancy);
            double? abandon = target.Patience is { } patience && needed.Agents > 0
                ? ErlangA.Evaluate(needed.Agents, erlangs, target.Aht, patience).ProbabilityOfAbandon
                : null;
            return new IntervalRequirement(v.Start, v.Calls, erlangs, needed.Agents, Shrinkage.Scheduled(needed.Agents, target.Shrinkage),
                needed.ServiceLevel, needed.ProbabilityOfWait, needed.AverageSpeedOfAnswer, needed.Occupancy, abandon);
        })];
    }
}
