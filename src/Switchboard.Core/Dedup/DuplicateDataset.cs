using System.Globalization;
using Switchboard.Core.Customers;

namespace Switchboard.Core.Dedup;

/// <summary>A generated set of customers with known duplicates: each record's cluster (records of one cluster are one real customer).</summary>
public sealed record LabelledRecords(IReadOnlyList<DedupRecord> Records, IReadOnlyDictionary<Guid, int> Cluster)
{
    /// <summary>The true duplicate pairs (first id ≤ second).</summary>
    public HashSet<(Guid, Guid)> TruePairs()
    {
        var pairs = new HashSet<(Guid, Guid)>();
        foreach (var cluster in Records.GroupBy(r => Cluster[r.Id]).Select(g => g.Select(r => r.Id).Order().ToList()))
        {
            for (var i = 0; i < cluster.Count; i++)
            {
                for (var j = i + 1; j < cluster.Count; j++)
                {
                    pairs.Add((cluster[i], cluster[j]));
                }
            }
        }
        return pairs;
    }
}

/// <summary>
/// Makes a data set with known duplicates, the way a call center's sources disagree (deterministic for a seed): the
/// same person from a second or third source with the name written another way (full-width letters, spaces, a
/// traditional character, a company suffix dropped, an English name's case or a typo), the phone written another way
/// or missing, the email missing or changed; and the hard negatives: employees of one company sharing its switchboard
/// number, and different people with the most common names.
/// </summary>
public static class DuplicateDataset
{
    private static readonly string[] Family = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国", "志强", "晓燕", "海燕", "子涵", "浩然"];
    private static readonly string[] Regions = ["北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "山东"];
    private static readonly string[] CompanyWords = ["远景", "华信", "恒通", "中科", "金桥", "新元", "东方", "瑞丰", "天成", "博达"];
    private static readonly string[] CompanyTrades = ["科技", "贸易", "物流", "医药", "电子", "文化"];
    private static readonly string[] English = ["Alice Chen", "David Wong", "Grace Liu", "Kevin Zhang", "Emily Huang", "Jason Lin", "Sophia Wu", "Michael Zhao"];
    private static readonly Dictionary<char, char> Traditional = new() { ['伟'] = '偉', ['丽'] = '麗', ['军'] = '軍', ['华'] = '華', ['杰'] = '傑', ['涛'] = '濤', ['强'] = '強', ['国'] = '國' };

    /// <summary><paramref name="customers"/> real customers (persons and companies' staff), about <paramref name="duplicateShare"/> of them with one or two more records.</summary>
    public static LabelledRecords Generate(int customers, double duplicateShare, int seed)
    {
        var random = new Random(seed);
        var records = new List<DedupRecord>();
        var clusters = new Dictionary<Guid, int>();
        var next = 0L;
        Guid NewId() => new(0, 0, 0, BitConverter.GetBytes(++next));
        var companies = Enumerable.Range(0, Math.Max(1, customers / 200)).Select(i =>
            (Name: CompanyWords[random.Next(CompanyWords.Length)] + CompanyTrades[random.Next(CompanyTrades.Length)] + (i % 3 == 0 ? "有限公司" : "股份有限公司"),
             Switchboard: "+8610" + random.Next(60_000_000, 69_999_999).ToString(CultureInfo.InvariantCulture), Region: Regions[random.Next(Regions.Length)])).ToList();
        for (var c = 0; c < customers; c++)
        {
            // The real customer: a company (each once), or a person, some of them its staff.
            var kind = c < companies.Count ? CustomerKind.Company : CustomerKind.Person;
            var company = companies[c < companies.Count ? c : random.Next(companies.Count)];
            var name = kind == CustomerKind.Company ? company.Name
                : random.NextDouble() < 0.08 ? English[random.Next(English.Length)] + " " + (char)('A' + random.Next(26))
                : Family[random.Next(Family.Length)] + Given[random.Next(Given.Length)];
            var mobile = "+86" + (c % 3 == 0 ? "139" : "138") + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
            var phones = new List<string>();
            if (kind == CustomerKind.Company)
            {
                phones.Add(company.Switchboard);
            }
            else
            {
                phones.Add(mobile);
                if (random.NextDouble() < 0.3)
                {
                    phones.Add(company.Switchboard); // staff reached through their company's switchboard: a shared number
                }
            }
            var email = random.NextDouble() < 0.6 ? $"u{c}@{(kind == CustomerKind.Company ? "corp" : "mail")}{random.Next(5)}.example.com" : null;
            var region = random.NextDouble() < 0.9 ? (kind == CustomerKind.Company ? company.Region : Regions[random.Next(Regions.Length)]) : null;
            var original = new DedupRecord(NewId(), kind, name, phones, email is null ? [] : [email], region);
            records.Add(original);
            clusters[original.Id] = c;
            if (random.NextDouble() >= duplicateShare)
            {
                continue;
            }
            // One or two more records of the same customer, from other sources.
            for (var copy = 0; copy < (random.NextDouble() < 0.2 ? 2 : 1); copy++)
            {
                var copyPhones = random.NextDouble() < 0.15 ? new List<string>() : [.. phones.Where(_ => random.NextDouble() < 0.9)];
                if (copyPhones.Count == 0 && random.NextDouble() < 0.5 && phones.Count > 0)
                {
                    copyPhones.Add(phones[0]);
                }
                var copyEmail = email is not null && random.NextDouble() < 0.6 ? [email] : random.NextDouble() < 0.1 ? [$"other{c}@example.net"] : Array.Empty<string>();
                var duplicate = new DedupRecord(NewId(), kind, Variant(name, kind, random), copyPhones, copyEmail, random.NextDouble() < 0.8 ? region : null);
                records.Add(duplicate);
                clusters[duplicate.Id] = c;
            }
        }
        // Shuffle, so that no order gives the answer away.
        var shuffled = records.OrderBy(_ => random.Next()).ToList();
        return new LabelledRecords(shuffled, clusters);
    }

    /// <summary>The name as another source wrote it.</summary>
    private static string Variant(string name, CustomerKind kind, Random random)
    {
        switch (random.Next(6))
        {
            case 0: // full-width letters and digits, or an ideographic space
                return string.Concat(name.Select(ch => ch is >= '!' and <= '~' ? (char)(ch + 0xFEE0) : ch == ' ' ? '\u3000' : ch));
            case 1: // spaces between the characters, around the name
                return " " + string.Join(' ', name.ToCharArray()) + " ";
            case 2 when kind == CustomerKind.Company && name.EndsWith("有限公司", StringComparison.Ordinal):
                return name[..^4] + "公司";
            case 3 when name.Any(Traditional.ContainsKey):
                var i = name.ToList().FindIndex(Traditional.ContainsKey);
                return name[..i] + Traditional[name[i]] + name[(i + 1)..];
            case 4 when name.Any(char.IsAsciiLetter):
                return random.Next(2) == 0 ? name.ToUpperInvariant() : name.Length > 4 ? name.Remove(random.Next(1, name.Length - 1), 1) : name;
            default:
                return name;
        }
    }
}
