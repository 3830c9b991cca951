using CsvHelper;

namespace Switchboard.Tests.TestSupport;

/// <summary>Questions labelled with an intent, from a <c>text,category</c> CSV (banking77, the generated Chinese set). Linked into the benchmarks too.</summary>
public static class LabelledQuestions
{
    public static List<(string Text, string Category)> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = CsvReader.Create(reader, new CsvReaderOptions(), leaveOpen: false);
        var rows = new List<(string, string)>();
        while (csv.Read())
        {
            rows.Add((csv.GetString("text"), csv.GetString("category")));
        }
        return rows;
    }
}
