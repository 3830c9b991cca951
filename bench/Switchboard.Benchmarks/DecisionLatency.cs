using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>
/// Single routing decisions timed one by one with <see cref="Stopwatch.GetTimestamp"/> (the same state as
/// <see cref="RoutingBenchmarks"/>: 10,000 agents, 1,000 waiting calls), for their percentiles without a benchmark
/// harness between operations. Its floor is the cost of the two timestamps around an empty operation.
/// </summary>
internal static class DecisionLatency
{
    public static int Run(int operations)
    {
        var state = new RoutingBenchmarks();
        state.Setup();
        var freed = new double[operations];
        var arrived = new double[operations];
        var floor = new double[operations];
        for (var round = 0; round < 2; round++) // the first round warms up (JIT, tiering, caches)
        {
            for (var i = 0; i < operations; i++)
            {
                var ending = state.NextConnected();
                var now = state.Tick();
                var t0 = Stopwatch.GetTimestamp();
                var offers = state.Busy.End(ending, now);
                freed[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                state.AnswerAndRefill(offers);

                var id = state.NextCallId();
                now = state.Tick();
                t0 = Stopwatch.GetTimestamp();
                state.Free.Enqueue(id, state.Ordinary, now);
                arrived[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                state.Free.End(id, state.Tick());

                t0 = Stopwatch.GetTimestamp();
                floor[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
        }
        Console.WriteLine($"{operations:N0} single operations each, after as many to warm up (µs):");
        Console.WriteLine("| Operation | p50 | p90 | p99 | p99.9 | max |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, values) in new[] { ("Agent freed takes the first eligible of 1,000 waiting calls", freed), ("Call arrives among 100 free agents", arrived), ("Floor: two timestamps, nothing between", floor) })
        {
            Array.Sort(values);
            double P(double q) => values[Math.Min(values.Length - 1, (int)Math.Ceiling(q * values.Length) - 1)];
            Console.WriteLine($"| {name} | {P(0.5):F2} | {P(0.9):F2} | {P(0.99):F2} | {P(0.999):F2} | {values[^1]:F2} |");
        }
        return 0;
    }
}
