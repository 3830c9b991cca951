namespace Switchboard.Core.Staffing;

/// <summary>
/// The Erlang C (M/M/N) queue: Poisson arrivals, exponential handling, N agents, callers who wait as long as it
/// takes. Pure functions of the offered load in Erlangs (<c>A = arrivals × AHT / interval length</c>).
/// <para>
/// Stable for large centers: Erlang B comes from its recursion in the reciprocal form
/// <c>1/B(k) = 1 + (k/A)·1/B(k−1)</c>, one fused multiply-add per agent with no factorials or powers, and a
/// reciprocal that only grows (it is capped where B is below 1e-300, i.e. nobody waits). 10,000 agents cost ~10 µs.
/// </para>
/// </summary>
public static class ErlangC
{
    private const double Huge = 1e300;

    /// <summary>Erlang B: the probability that all <paramref name="agents"/> are busy in a loss system offered <paramref name="erlangs"/>.</summary>
    public static double ErlangB(int agents, double erlangs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(erlangs);
        if (erlangs == 0)
        {
            return agents == 0 ? 1 : 0;
        }
        var inverseLoad = 1 / erlangs;
        var reciprocal = 1.0; // 1/B(0)
        for (var k = 1; k <= agents; k++)
        {
            reciprocal = Math.FusedMultiplyAdd(k * inverseLoad, reciprocal, 1);
            if (reciprocal > Huge)
            {
                return 0;
            }
        }
        return 1 / reciprocal;
    }

    /// <summary>Erlang B for <paramref name="agents"/> + 1 from Erlang B for <paramref name="agents"/>, in O(1): for searching upwards.</summary>
    public static double NextErlangB(double erlangB, int agents, double erlangs) =>
        erlangs * erlangB / (agents + 1 + erlangs * erlangB);

    /// <summary>Erlang C from Erlang B: the probability that a caller waits at all (1 when the agents cannot keep up).</summary>
    public static double ProbabilityOfWaitFromB(double erlangB, int agents, double erlangs) =>
        agents <= erlangs ? 1 : agents * erlangB / (agents - erlangs * (1 - erlangB));

    /// <summary>The probability that a caller waits at all.</summary>
    public static double ProbabilityOfWait(int agents, double erlangs) => ProbabilityOfWaitFromB(ErlangB(agents, erlangs), agents, erlangs);

    /// <summary>The share of callers answered within <paramref name="target"/> (0 when the agents cannot keep up).</summary>
    public static double ServiceLevel(double probabilityOfWait, int agents, double erlangs, TimeSpan aht, TimeSpan target) =>
        agents <= erlangs ? 0 : 1 - probabilityOfWait * Math.Exp(-(agents - erlangs) * target.TotalSeconds / aht.TotalSeconds);

    /// <summary>The mean wait over all callers (average speed of answer); infinite when the agents cannot keep up.</summary>
    public static TimeSpan AverageSpeedOfAnswer(double probabilityOfWait, int agents, double erlangs, TimeSpan aht) =>
        agents <= erlangs ? TimeSpan.MaxValue : TimeSpan.FromSeconds(probabilityOfWait * aht.TotalSeconds / (agents - erlangs));

    /// <summary>Everything about <paramref name="agents"/> agents on a load.</summary>
    public static QueueMetrics Evaluate(int agents, double erlangs, TimeSpan aht, TimeSpan target)
    {
        var wait = ProbabilityOfWait(agents, erlangs);
        return new QueueMetrics(agents, erlangs, wait, ServiceLevel(wait, agents, erlangs, aht, target),
            AverageSpeedOfAnswer(wait, agents, erlangs, aht), agents == 0 ? 1 : Math.Min(1, erlangs / agents));
    }

    /// <summary>
    /// The fewest agents that answer <paramref name="serviceLevel"/> of callers within <paramref name="target"/>
    /// and stay at or below <paramref name="maxOccupancy"/>. Searches upwards from the load with the O(1) step.
    /// </summary>
    public static QueueMetrics AgentsFor(double erlangs, TimeSpan aht, double serviceLevel, TimeSpan target, double maxOccupancy = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(erlangs);
        if (erlangs == 0)
        {
            return new QueueMetrics(0, 0, 0, 1, TimeSpan.Zero, 0);
        }
        var agents = Math.Max((int)Math.Floor(erlangs) + 1, (int)Math.Ceiling(erlangs / maxOccupancy - 1e-12));
        var erlangB = ErlangB(agents, erlangs);
        while (true)
        {
            var wait = ProbabilityOfWaitFromB(erlangB, agents, erlangs);
            var level = ServiceLevel(wait, agents, erlangs, aht, target);
            if (level >= serviceLevel - 1e-12)
            {
                return new QueueMetrics(agents, erlangs, wait, level, AverageSpeedOfAnswer(wait, agents, erlangs, aht), erlangs / agents);
            }
            erlangB = NextErlangB(erlangB, agents, erlangs);
            agents++;
        }
    }
}

/// <summary>What a number of agents achieves on a load.</summary>
/// <param name="Agents">Agents on the phones (before shrinkage).</param>
/// <param name="Erlangs">Offered load.</param>
/// <param name="ProbabilityOfWait">Share of callers who wait at all.</param>
/// <param name="ServiceLevel">Share answered within the target time.</param>
/// <param name="AverageSpeedOfAnswer">Mean wait over all callers.</param>
/// <param name="Occupancy">Share of agents' time on calls.</param>
public sealed record QueueMetrics(
    int Agents, double Erlangs, double ProbabilityOfWait, double ServiceLevel, TimeSpan AverageSpeedOfAnswer, double Occupancy);
