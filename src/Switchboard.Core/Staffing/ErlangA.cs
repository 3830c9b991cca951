namespace Switchboard.Core.Staffing;

/// <summary>
/// The Erlang A (Palm, M/M/N+M) queue: as Erlang C, but callers hang up after an exponential patience. Closer to
/// real centers than Erlang C, which assumes nobody ever abandons and so over-staffs under load.
/// <para>
/// Exact from the birth–death chain, relative to the state "all agents busy, nobody waiting": below it the loss
/// system (1/Erlang B), above it the series Σ yᵏ/∏(x+m) with x = Nμ/θ and y = λ/θ (Mandelbaum &amp; Zeltyn's
/// A(x, y) − 1), summed until its terms vanish. P(wait) = P(state ≥ N) by PASTA; P(abandon) = θ·E[queue]/λ.
/// </para>
/// </summary>
public static class ErlangA
{
    /// <param name="agents">Agents on the phones.</param>
    /// <param name="erlangs">Offered load, arrivals × AHT / interval.</param>
    /// <param name="aht">Average handling time.</param>
    /// <param name="patience">Mean time a caller waits before hanging up.</param>
    public static AbandonmentMetrics Evaluate(int agents, double erlangs, TimeSpan aht, TimeSpan patience)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(erlangs);
        if (patience <= TimeSpan.Zero || aht <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), "AHT and patience must be positive.");
        }
        if (erlangs == 0)
        {
            return new AbandonmentMetrics(agents, 0, 0, 0, TimeSpan.Zero, 0);
        }
        // Rates per second of handling time: μ = 1/AHT, λ = A·μ, θ = 1/patience.
        var mu = 1 / aht.TotalSeconds;
        var lambda = erlangs * mu;
        var theta = 1 / patience.TotalSeconds;

        // Above "all busy": term_k = ∏_{m=1..k} λ/(Nμ + mθ); Σ term_k and Σ k·term_k.
        double above = 0, queueWeighted = 0, term = 1;
        for (var k = 1; k < 10_000_000; k++)
        {
            term *= lambda / (agents * mu + k * theta);
            above += term;
            queueWeighted += k * term;
            if (term < 1e-17 * (1 + above) && k * term < 1e-17 * (1 + queueWeighted))
            {
                break;
            }
        }
        var erlangB = ErlangC.ErlangB(agents, erlangs);
        var total = (erlangB == 0 ? double.PositiveInfinity : 1 / erlangB) + above; // Σ over all states / π(N)
        var wait = (1 + above) / total;
        var meanQueue = queueWeighted / total;
        var abandon = theta * meanQueue / lambda;
        // Answered calls keep the agents busy: carried load = A·(1 − P(abandon)).
        var occupancy = agents == 0 ? 1 : Math.Min(1, erlangs * (1 - abandon) / agents);
        return new AbandonmentMetrics(agents, erlangs, wait, abandon, TimeSpan.FromSeconds(meanQueue / lambda), occupancy);
    }
}

/// <summary>What a number of agents achieves on a load when callers abandon.</summary>
/// <param name="Agents">Agents on the phones.</param>
/// <param name="Erlangs">Offered load.</param>
/// <param name="ProbabilityOfWait">Share of callers who wait at all.</param>
/// <param name="ProbabilityOfAbandon">Share of callers who hang up before an answer.</param>
/// <param name="MeanWait">Mean time in the queue over all callers, those who hang up included (Little's law).</param>
/// <param name="Occupancy">Share of agents' time on answered calls.</param>
public sealed record AbandonmentMetrics(int Agents, double Erlangs, double ProbabilityOfWait, double ProbabilityOfAbandon, TimeSpan MeanWait, double Occupancy);
