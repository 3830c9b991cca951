using CsCheck;
using Switchboard.Core.Staffing;

namespace Switchboard.Tests.Staffing;

public sealed class ErlangTests
{
    private static readonly TimeSpan Aht = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    // 100 calls per 30 minutes at 3 minutes each: 10 Erlangs.
    private const double TenErlangs = 100 * 3.0 / 30;

    [Fact]
    public void ErlangC_ReproducesThePublishedExample()
    {
        var needed = ErlangC.AgentsFor(TenErlangs, Aht, serviceLevel: 0.80, Twenty);
        Assert.Equal(14, needed.Agents);
        Assert.Equal(0.888, needed.ServiceLevel, 3);
        Assert.Equal(0.174, needed.ProbabilityOfWait, 3);
        Assert.Equal(0.714, needed.Occupancy, 3);
        Assert.Equal(20, Shrinkage.Scheduled(needed.Agents, 0.30));

        Assert.Equal(0.7956, ErlangC.Evaluate(13, TenErlangs, Aht, Twenty).ServiceLevel, 4);
        Assert.Equal(23, ErlangC.AgentsFor(20, Aht, 0.80, TimeSpan.FromSeconds(60)).Agents);
    }

    [Fact]
    public void ErlangA_ReproducesThePublishedExample()
    {
        var metrics = ErlangA.Evaluate(14, TenErlangs, Aht, patience: TimeSpan.FromMinutes(5));
        Assert.Equal(0.14526, metrics.ProbabilityOfWait, 5);
        Assert.Equal(0.013984, metrics.ProbabilityOfAbandon, 6);
        // Abandonment only shortens the queue: fewer wait than under Erlang C with the same agents.
        Assert.True(metrics.ProbabilityOfWait < ErlangC.ProbabilityOfWait(14, TenErlangs));
    }

    [Fact]
    public void LargeCenters_StayFiniteAndSensible()
    {
        // 10,000 agents: no overflow, no NaN; the classic square-root staffing rule holds roughly.
        var needed = ErlangC.AgentsFor(9_500, Aht, 0.80, Twenty);
        Assert.InRange(needed.Agents, 9_501, 9_500 + (int)(3 * Math.Sqrt(9_500)));
        Assert.True(double.IsFinite(needed.ProbabilityOfWait) && double.IsFinite(needed.ServiceLevel));
        Assert.Equal(0, ErlangC.ErlangB(10_000, 10));
        var a = ErlangA.Evaluate(10_000, 9_900, Aht, TimeSpan.FromMinutes(2));
        Assert.True(double.IsFinite(a.ProbabilityOfAbandon) && a.ProbabilityOfAbandon is > 0 and < 1);
    }

    [Fact]
    public void ErlangB_MatchesTheDirectSumForSmallCenters() =>
        Gen.Select(Gen.Int[0, 60], Gen.Double[0.01, 80]).Sample((n, a) =>
        {
            // B = (aⁿ/n!) / Σ aᵏ/k!, summed directly where it cannot overflow.
            double term = 1, sum = 1;
            for (var k = 1; k <= n; k++)
            {
                term *= a / k;
                sum += term;
            }
            Assert.Equal(term / sum, ErlangC.ErlangB(n, a), 1e-9);
        });

    [Fact]
    public void MoreAgents_NeverServeWorse() =>
        Gen.Select(Gen.Double[0.5, 500], Gen.Int[1, 40]).Sample((a, extra) =>
        {
            var n = (int)Math.Floor(a) + 1;
            var fewer = ErlangC.Evaluate(n, a, Aht, Twenty);
            var more = ErlangC.Evaluate(n + extra, a, Aht, Twenty);
            Assert.True(more.ServiceLevel >= fewer.ServiceLevel - 1e-12);
            Assert.True(more.ProbabilityOfWait <= fewer.ProbabilityOfWait + 1e-12);
            var patient = ErlangA.Evaluate(n, a, Aht, TimeSpan.FromMinutes(3));
            var patientMore = ErlangA.Evaluate(n + extra, a, Aht, TimeSpan.FromMinutes(3));
            Assert.True(patientMore.ProbabilityOfAbandon <= patient.ProbabilityOfAbandon + 1e-12);
        });

    [Fact]
    public void AgentsFor_IsTheFewestThatMeetTheTarget() =>
        Gen.Select(Gen.Double[0.1, 300], Gen.Double[0.5, 0.95], Gen.Int[5, 120], Gen.Double[0.7, 1.0]).Sample((a, level, seconds, occupancy) =>
        {
            var target = TimeSpan.FromSeconds(seconds);
            var found = ErlangC.AgentsFor(a, Aht, level, target, occupancy);
            Assert.True(found.ServiceLevel >= level - 1e-9 && found.Occupancy <= occupancy + 1e-9);
            var one = ErlangC.Evaluate(found.Agents - 1, a, Aht, target);
            Assert.True(one.ServiceLevel < level - 1e-12 || a / (found.Agents - 1) > occupancy || found.Agents - 1 <= a);
        });
}
