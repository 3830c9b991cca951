namespace Switchboard.Core.Dedup;

/// <summary>
/// How well de-duplication found the known duplicates of a labelled set: precision and recall of the pairs it would
/// merge, and of those it would merge or send to review; and how many pairs blocking let it compare.
/// </summary>
public sealed record DedupQuality(int Records, int TruePairs, int Compared, double MergePrecision, double MergeRecall, double ReviewPrecision, double ReviewRecall)
{
    public static DedupQuality Measure(LabelledRecords set, DedupThresholds thresholds)
    {
        var truth = set.TruePairs();
        var scored = DuplicateScorer.Score(set.Records, thresholds);
        var merge = scored.Where(p => p.Decision == DedupDecision.Merge).Select(p => (p.First, p.Second)).ToList();
        var flagged = scored.Where(p => p.Decision != DedupDecision.Distinct).Select(p => (p.First, p.Second)).ToList();
        static double Ratio(int part, int whole) => whole == 0 ? 1 : (double)part / whole;
        return new DedupQuality(set.Records.Count, truth.Count, scored.Count,
            Ratio(merge.Count(truth.Contains), merge.Count), Ratio(merge.Count(truth.Contains), truth.Count),
            Ratio(flagged.Count(truth.Contains), flagged.Count), Ratio(flagged.Count(truth.Contains), truth.Count));
    }
}
