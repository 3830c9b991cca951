using System.Diagnostics;
using System.Globalization;
using System.Text;
using Switchboard.Core.Mapping;

namespace Switchboard.Benchmarks;

/// <summary>
/// For the import benchmark (goal: 1,000,000 rows into SQLite in under 60 s): <c>import-file N PATH</c> writes a
/// Salesforce-shaped CSV of N accounts (deterministic; Chinese names, phones in the formats people write them,
/// full-width characters, tags, one row in a hundred bad); <c>import-floor PATH SPEC</c> reads and maps every row
/// without writing anything — the floor the import's writes add to.
/// </summary>
internal static class ImportFile
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    private static readonly string[] Stems = ["华夏", "东方", "新锐", "恒通", "瑞丰", "ＡＢＣ", "金桥", "远景"];
    private static readonly string[] Suffixes = ["贸易有限公司", "科技有限公司", "实业有限公司", "（集团）股份有限公司"];
    private static readonly string[] States = ["浙江", "上海", "北京", "广东", "江苏", ""];

    public static async Task<int> WriteAsync(int rows, string path)
    {
        var random = new Random(20261126);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await writer.WriteAsync("Id,Name,Value_Tier__c,MobilePhone,Email__c,Tags__c,Stage__c,Language__c,BillingState\r\n");
        for (var i = 0; i < rows; i++)
        {
            var mobile = 13_000_000_000L + random.NextInt64(999_999_999);
            var phone = (i % 4) switch
            {
                0 => mobile.ToString(CultureInfo.InvariantCulture),
                1 => $"+86 {mobile / 100_000_000} {mobile / 10_000 % 10_000:D4} {mobile % 10_000:D4}",
                2 => $"{mobile / 100_000_000}-{mobile / 10_000 % 10_000:D4}-{mobile % 10_000:D4}",
                _ => "0086" + mobile.ToString(CultureInfo.InvariantCulture),
            };
            var bad = i % 100 == 99;
            var name = $"{Stems[random.Next(Stems.Length)]}{Surnames[random.Next(Surnames.Length)]}氏{Suffixes[random.Next(Suffixes.Length)]}";
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"001{i:D12},\"{name}\",{(bad ? "Z" : "ABC"[random.Next(3)].ToString())},{(bad ? "n/a" : phone)},u{i}@example.cn,续约;重点,Customer,zh,{States[random.Next(States.Length)]}\r\n"));
        }
        Console.WriteLine($"Wrote {rows:N0} rows to {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:N1} MB).");
        return 0;
    }

    public static async Task<int> FloorAsync(string path, string specPath)
    {
        var spec = MappingSpec.Read(await File.ReadAllTextAsync(specPath), specPath.EndsWith(".yaml", StringComparison.Ordinal)).Value;
        var clock = Stopwatch.StartNew();
        long rows = 0, ok = 0;
        await using var stream = File.OpenRead(path);
        await foreach (var row in ImportFiles.ReadCsvAsync(stream, null, CancellationToken.None))
        {
            rows++;
            ok += row.Record is not null && spec.MapIn(row.Record).Ok ? 1 : 0;
        }
        Console.WriteLine($"Floor: read and mapped {rows:N0} rows ({ok:N0} good) in {clock.Elapsed.TotalSeconds:N1} s = {rows / clock.Elapsed.TotalSeconds:N0} rows/s, nothing written.");
        return 0;
    }
}
