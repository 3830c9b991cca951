using Switchboard.Core.Customers;

namespace Switchboard.Core.Dedup;

/// <summary>What de-duplication compares of a customer: its name, its phone numbers (E.164), its email addresses, its region and kind.</summary>
public sealed record DedupRecord(Guid Id, CustomerKind Kind, string Name, IReadOnlyList<string> Phones, IReadOnlyList<string> Emails, string? Region);

/// <summary>What to do with a pair.</summary>
public enum DedupDecision { Distinct, Review, Merge }

/// <summary>A candidate pair, its score (the sum of the fields' log-likelihood weights, in bits) and the decision its thresholds give.</summary>
public sealed record ScoredPair(Guid First, Guid Second, double Score, DedupDecision Decision, IReadOnlyDictionary<string, double> Weights);

/// <summary>
/// Finds the same person or company among customers, Fellegi–Sunter style (a pure engine): <b>blocking</b> proposes
/// candidate pairs that share a phone number, an email address or a normalised name, so that not every pair is
/// compared; <b>scoring</b> adds, per field, log2(m/u) when the two agree and log2((1−m)/(1−u)) when they disagree
/// (m: how often true duplicates agree; u: how often distinct customers do), nothing when either lacks the field.
/// A phone number's u is its own frequency among the customers (term-frequency adjustment): a company's shared
/// switchboard number, held by forty employees, says little that two of them are one person; a mobile held by two
/// records says a lot. Names are compared after full-width folding, case and white space (<see cref="SearchKeys.Name"/>)
/// by Jaro–Winkler, in levels. Pairs at or above <see cref="DedupThresholds.Merge"/> merge; between it and
/// <see cref="DedupThresholds.Review"/> go to a person.
/// </summary>
public static class DuplicateScorer
{
    /// <summary>Blocks larger than this are not expanded into pairs (a number or name that common identifies no one).</summary>
    public const int MaxBlock = 50;

    /// <summary>A number more records than this hold is a shared line (a switchboard): agreeing on it is no evidence.</summary>
    public const int SharedLine = 4;

    // m and u per comparison level, from what a contact center's data looks like (documented in docs/dedup.md).
    private const double PhoneM = 0.85;
    private const double EmailM = 0.75, EmailU = 0.0005;
    private const double RegionM = 0.95, RegionU = 0.12;
    private static readonly (double Min, double M, double U)[] NameLevels = [(0.995, 0.70, 0.002), (0.93, 0.18, 0.01), (0.85, 0.07, 0.05)];
    private const double NameDisagreeM = 0.05, NameDisagreeU = 0.938;

    /// <summary>Every candidate pair among <paramref name="records"/>, scored and decided.</summary>
    public static IReadOnlyList<ScoredPair> Score(IReadOnlyList<DedupRecord> records, DedupThresholds thresholds)
    {
        var phoneCounts = records.SelectMany(r => r.Phones.Distinct()).GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var names = records.ToDictionary(r => r.Id, r => NameKey(r.Name, r.Kind));
        var pairs = new HashSet<(int, int)>();
        foreach (var block in Blocks(records, names))
        {
            if (block.Count is < 2 or > MaxBlock)
            {
                continue;
            }
            for (var i = 0; i < block.Count; i++)
            {
                for (var j = i + 1; j < block.Count; j++)
                {
                    pairs.Add(block[i] < block[j] ? (block[i], block[j]) : (block[j], block[i]));
                }
            }
        }
        var scored = new List<ScoredPair>(pairs.Count);
        foreach (var (i, j) in pairs.Order())
        {
            scored.Add(ScorePair(records[i], records[j], names[records[i].Id], names[records[j].Id], phoneCounts, records.Count, thresholds));
        }
        return scored;
    }

    /// <summary>The candidate blocks, as indexes into <paramref name="records"/>: by phone, by email, by normalised name.</summary>
    private static Dictionary<string, List<int>>.ValueCollection Blocks(IReadOnlyList<DedupRecord> records, Dictionary<Guid, string> names)
    {
        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        void Add(string key, int index)
        {
            if (!blocks.TryGetValue(key, out var block))
            {
                blocks[key] = block = [];
            }
            if (block.Count == 0 || block[^1] != index)
            {
                block.Add(index);
            }
        }
        for (var i = 0; i < records.Count; i++)
        {
            foreach (var phone in records[i].Phones)
            {
                Add("p:" + phone, i);
            }
            foreach (var email in records[i].Emails)
            {
                Add("e:" + email.Trim().ToLowerInvariant(), i);
            }
            if (names[records[i].Id].Length > 0)
            {
                Add("n:" + names[records[i].Id], i);
            }
        }
        return blocks.Values;
    }

    internal static ScoredPair ScorePair(DedupRecord a, DedupRecord b, string nameA, string nameB, IReadOnlyDictionary<string, int> phoneCounts, int total,
        DedupThresholds thresholds)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        if (a.Phones.Count > 0 && b.Phones.Count > 0)
        {
            var shared = a.Phones.Intersect(b.Phones, StringComparer.Ordinal).ToList();
            var holders = shared.Count == 0 ? 0 : shared.Min(p => phoneCounts.GetValueOrDefault(p, 1));
            if (holders > SharedLine)
            {
                weights["phone"] = 0; // a shared line (a company's switchboard, a family's landline): it says nothing either way
            }
            else if (shared.Count > 0)
            {
                // The rarest shared number speaks: u is how often a random customer holds it (counted over at least
                // 10,000 customers: a small store says little about how common a number is).
                var u = (double)holders / Math.Max(total, 10_000);
                weights["phone"] = Math.Log2(PhoneM / Math.Min(Math.Max(u, 1e-7), 0.5));
            }
            else
            {
                weights["phone"] = Math.Log2((1 - PhoneM) / (1 - 1e-4));
            }
        }
        if (a.Emails.Count > 0 && b.Emails.Count > 0)
        {
            var agree = a.Emails.Select(e => e.Trim().ToLowerInvariant()).Intersect(b.Emails.Select(e => e.Trim().ToLowerInvariant()), StringComparer.Ordinal).Any();
            weights["email"] = agree ? Math.Log2(EmailM / EmailU) : Math.Log2((1 - EmailM) / (1 - EmailU));
        }
        if (nameA.Length > 0 && nameB.Length > 0)
        {
            var similarity = JaroWinkler(nameA, nameB);
            var level = NameLevels.FirstOrDefault(l => similarity >= l.Min);
            weights["name"] = level.M > 0 ? Math.Log2(level.M / level.U) : Math.Log2(NameDisagreeM / NameDisagreeU);
        }
        if (a.Region is { Length: > 0 } ra && b.Region is { Length: > 0 } rb)
        {
            weights["region"] = string.Equals(ra, rb, StringComparison.OrdinalIgnoreCase) ? Math.Log2(RegionM / RegionU) : Math.Log2((1 - RegionM) / (1 - RegionU));
        }
        if (a.Kind != b.Kind)
        {
            weights["kind"] = -8; // a person and a company are not one customer
        }
        var score = weights.Values.Sum();
        var decision = score >= thresholds.Merge ? DedupDecision.Merge : score >= thresholds.Review ? DedupDecision.Review : DedupDecision.Distinct;
        return a.Id.CompareTo(b.Id) <= 0 ? new ScoredPair(a.Id, b.Id, score, decision, weights) : new ScoredPair(b.Id, a.Id, score, decision, weights);
    }

    // Traditional forms common in names, folded to the simplified (a source in Hong Kong or Taiwan writes 王偉 for 王伟).
    private static readonly Dictionary<char, char> Simplified = new()
    {
        ['偉'] = '伟', ['麗'] = '丽', ['軍'] = '军', ['華'] = '华', ['傑'] = '杰', ['濤'] = '涛', ['強'] = '强', ['國'] = '国', ['張'] = '张', ['劉'] = '刘',
        ['陳'] = '陈', ['楊'] = '杨', ['黃'] = '黄', ['趙'] = '赵', ['吳'] = '吴', ['孫'] = '孙', ['馬'] = '马', ['羅'] = '罗', ['鄭'] = '郑',
        ['東'] = '东', ['達'] = '达', ['豐'] = '丰', ['橋'] = '桥', ['訊'] = '讯', ['醫'] = '医', ['藥'] = '药', ['電'] = '电', ['貿'] = '贸', ['務'] = '务',
        ['紅'] = '红', ['興'] = '兴', ['龍'] = '龙', ['鳳'] = '凤', ['靜'] = '静', ['嬌'] = '娇',
    };

    private static readonly string[] CompanySuffixes = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", " co., ltd.", " co. ltd", " ltd.", " ltd", " inc.", " inc"];

    /// <summary>
    /// A name as compared: full-width folded, lower case, white space collapsed (<see cref="SearchKeys.Name"/>); a
    /// Chinese name without spaces (sources space its characters differently) and with common traditional forms
    /// simplified; a company's legal suffix dropped (远景科技有限公司 and 远景科技公司 are one company).
    /// </summary>
    public static string NameKey(string name, CustomerKind kind)
    {
        var key = SearchKeys.Name(name);
        if (key.Any(c => c >= '\u3400'))
        {
            key = string.Concat(key.Where(c => !char.IsWhiteSpace(c)).Select(c => Simplified.GetValueOrDefault(c, c)));
        }
        if (kind == CustomerKind.Company)
        {
            foreach (var suffix in CompanySuffixes)
            {
                if (key.Length > suffix.Length + 1 && key.EndsWith(suffix, StringComparison.Ordinal))
                {
                    key = key[..^suffix.Length];
                    break;
                }
            }
        }
        return key;
    }

    /// <summary>Jaro–Winkler similarity of two strings (1: the same), by text elements of the BMP as characters.</summary>
    public static double JaroWinkler(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1 : 0;
        }
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1;
        }
        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        var matchedA = new bool[a.Length];
        var matchedB = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = Math.Max(0, i - window); j < Math.Min(b.Length, i + window + 1); j++)
            {
                if (!matchedB[j] && a[i] == b[j])
                {
                    (matchedA[i], matchedB[j]) = (true, true);
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return 0;
        }
        var transpositions = 0;
        for (int i = 0, k = 0; i < a.Length; i++)
        {
            if (!matchedA[i])
            {
                continue;
            }
            while (!matchedB[k])
            {
                k++;
            }
            transpositions += a[i] != b[k++] ? 1 : 0;
        }
        var m = (double)matches;
        var jaro = ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix])
        {
            prefix++;
        }
        return jaro + (prefix * 0.1 * (1 - jaro));
    }
}

/// <summary>Score thresholds in bits: at or above <paramref name="Merge"/> merge; at or above <paramref name="Review"/> a person decides.</summary>
public sealed record DedupThresholds(double Merge = 14, double Review = 8);
