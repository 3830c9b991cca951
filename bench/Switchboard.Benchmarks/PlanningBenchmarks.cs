using BenchmarkDotNet.Attributes;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Staffing;

namespace Switchboard.Benchmarks;

/// <summary>Erlang C for a 10,000-agent center (goal ≤ 20 µs).</summary>
[MemoryDiagnoser]
public class ErlangBenchmarks
{
    private static readonly TimeSpan Aht = TimeSpan.FromMinutes(3);

    [Benchmark]
    public double ProbabilityOfWait10000Agents() => ErlangC.ProbabilityOfWait(10_000, 9_800);

    [Benchmark]
    public int AgentsFor9500Erlangs() => ErlangC.AgentsFor(9_500, Aht, 0.8, TimeSpan.FromSeconds(20)).Agents;

    [Benchmark]
    public double ErlangA10000Agents() => ErlangA.Evaluate(10_000, 9_800, Aht, TimeSpan.FromMinutes(3)).ProbabilityOfAbandon;
}

/// <summary>
/// A day's forecast and plan for 100 queues of 96 quarter hours (goal under 1 s): per queue, the model chosen by a
/// 20-day rolling-origin backtest over 8 candidates from 12 weeks of history, agents per interval by Erlang C, and a
/// shift plan from two templates.
/// </summary>
[MemoryDiagnoser]
public class PlanningBenchmarks
{
    private readonly List<DailySeries> _queues = [];
    private readonly DateOnly _day = new(2026, 12, 7);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(15);
    private static readonly StaffingTarget Target = new(TimeSpan.FromMinutes(4), 0.8, TimeSpan.FromSeconds(20), 0.3, 0.9);
    private static readonly ShiftTemplate[] Templates =
    [
        new("full", TimeSpan.FromHours(8.5), new TimeOnly(0, 0), new TimeOnly(15, 30), Step, TimeSpan.FromMinutes(30), TimeSpan.FromHours(3), TimeSpan.FromHours(5)),
        new("part", TimeSpan.FromHours(4), new TimeOnly(0, 0), new TimeOnly(20, 0), Step, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
    ];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        for (var q = 0; q < 100; q++)
        {
            var series = new DailySeries(new TimeOnly(0, 0), Step, 96);
            var size = 20 + random.Next(200);
            for (var day = _day.AddDays(-84); day < _day; day = day.AddDays(1))
            {
                var weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.5 : 1.0;
                for (var i = 0; i < 96; i++)
                {
                    var shape = Math.Max(0.05, Math.Sin(Math.PI * (i - 28) / 64));
                    series.Add(day.ToDateTime(TimeOnly.MinValue) + i * Step, Math.Round(size * weekday * shape * (0.8 + 0.4 * random.NextDouble())));
                }
            }
            _queues.Add(series);
        }
    }

    [Benchmark]
    public double ForecastAndPlan100Queues()
    {
        var paid = 0.0;
        foreach (var series in _queues)
        {
            var forecast = Forecaster.Default.Forecast(series, _day)!;
            var start = _day.ToDateTime(TimeOnly.MinValue);
            var requirement = Requirements.For(forecast.Forecast.Values.Select((v, i) => (start + i * Step, v)), Step, Target);
            paid += ShiftPlanner.Plan([.. requirement.Select(r => (r.Start, r.Scheduled))], Step, Templates).PaidHours;
        }
        return paid;
    }
}
