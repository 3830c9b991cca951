using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Switchboard.Core.Routing;

namespace Switchboard.Benchmarks;

/// <summary>
/// The distribution of single routing decisions (goal: median ≤ 5 µs, p99 ≤ 20 µs) over 10,000 agents and 1,000
/// waiting calls: every iteration is exactly one engine operation (invocation count 1), and no outlier is removed,
/// so the percentiles are those of single decisions. The state is restored outside the measurement. A single
/// invocation per iteration carries the harness's cost (<see cref="Nothing"/> is that floor), and the work between
/// iterations leaves the caches cold; <see cref="DecisionLatency"/> times the same operations back to back.
/// <see cref="AgentFreedTakesAWaitingCall"/>: a call ends and its agent takes the first eligible of 1,000 waiting;
/// <see cref="CallArrivesAmongFreeAgents"/>: a call arrives while 100 agents are free and is offered to the best.
/// </summary>
[Config(typeof(Percentiles))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1_000, iterationCount: 10_000, invocationCount: 1)]
[GcForce(false)] // BenchmarkDotNet's default full collection after every iteration would leave each decision with cold caches
[Outliers(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove)]
public class RoutingDecisionLatencyBenchmarks
{
    private readonly RoutingBenchmarks _state = new();
    private string _ending = "";
    private IReadOnlyList<Offer> _offers = [];
    private string _arrived = "";

    [GlobalSetup]
    public void Setup() => _state.Setup();

    [IterationSetup(Target = nameof(AgentFreedTakesAWaitingCall))]
    public void NextToEnd() => _ending = _state.NextConnected();

    [Benchmark]
    public int AgentFreedTakesAWaitingCall()
    {
        _offers = _state.Busy.End(_ending, _state.Tick());
        return _offers.Count;
    }

    [IterationCleanup(Target = nameof(AgentFreedTakesAWaitingCall))]
    public void AnswerAndRefill() => _state.AnswerAndRefill(_offers);

    [Benchmark]
    public int CallArrivesAmongFreeAgents()
    {
        _arrived = _state.NextCallId();
        return _state.Free.Enqueue(_arrived, _state.Ordinary, _state.Tick()).Count;
    }

    [IterationCleanup(Target = nameof(CallArrivesAmongFreeAgents))]
    public void EndArrived() => _state.Free.End(_arrived, _state.Tick());

    /// <summary>The floor: the harness's own cost for one invocation measured alone.</summary>
    [Benchmark]
    public int Nothing() => _arrived.Length;

    /// <summary>Median, p90, p99 and the maximum of single operations, beside BenchmarkDotNet's mean.</summary>
    private sealed class Percentiles : ManualConfig
    {
        public Percentiles()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P90, new PercentileColumn(99), StatisticColumn.Max);
        }
    }

    private sealed class PercentileColumn(int percentile) : IColumn
    {
        public string Id => "P" + percentile;
        public string ColumnName => $"P{percentile} (μs)";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{percentile}th percentile of single operations";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is { } statistics
                ? (statistics.Percentiles.Percentile(percentile) / 1_000).ToString("N2", System.Globalization.CultureInfo.InvariantCulture)
                : "NA";
    }
}
