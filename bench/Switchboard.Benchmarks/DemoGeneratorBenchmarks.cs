using BenchmarkDotNet.Attributes;
using Switchboard.Core.Demo;

namespace Switchboard.Benchmarks;

/// <summary>Generation alone (no store): how much of a seed run is the generator's.</summary>
[MemoryDiagnoser]
public class DemoGeneratorBenchmarks
{
    [Benchmark(OperationsPerInvoke = 10_000)]
    public int Generate10kCustomers() => new DemoDataGenerator("zh-CN", 1, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 10_000).Next(10_000).RowCount;
}
