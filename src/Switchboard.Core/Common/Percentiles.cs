namespace Switchboard.Core.Common;

/// <summary>Percentiles of measured values, by the nearest-rank method: one way for the simulator, the sync's health and the benchmarks.</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="p"/> percentile (0–1) of <paramref name="sorted"/> (ascending): the value at rank ⌈p·n⌉; NaN when there is none.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
