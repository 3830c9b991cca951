using System.Diagnostics;
using Switchboard.Core.Dedup;

namespace Switchboard.Benchmarks;

/// <summary>
/// De-duplication on a generated set with known duplicates (<see cref="DuplicateDataset"/>): precision and recall of
/// the pairs it would merge and of those it would merge or send to review, at the default thresholds and a few others,
/// and how long blocking and scoring take.
/// </summary>
internal static class DedupQualityRun
{
    public static int Run(int customers, int seed)
    {
        var set = DuplicateDataset.Generate(customers, duplicateShare: 0.2, seed);
        Console.WriteLine($"{set.Records.Count:N0} records of {customers:N0} customers; {set.TruePairs().Count:N0} true duplicate pairs (seed {seed})");
        foreach (var thresholds in new[] { new DedupThresholds(), new DedupThresholds(12, 6), new DedupThresholds(16, 10) })
        {
            var started = Stopwatch.GetTimestamp();
            var quality = DedupQuality.Measure(set, thresholds);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine($"merge ≥ {thresholds.Merge}, review ≥ {thresholds.Review}: merge precision {quality.MergePrecision:P2}, recall {quality.MergeRecall:P2}; "
                + $"with review precision {quality.ReviewPrecision:P2}, recall {quality.ReviewRecall:P2}; {quality.Compared:N0} pairs compared in {elapsed:F2} s");
        }
        return 0;
    }
}
