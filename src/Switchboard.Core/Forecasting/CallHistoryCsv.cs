using System.Globalization;
using CsvHelper;
using Switchboard.Core.Common;

namespace Switchboard.Core.Forecasting;

/// <summary>
/// Reads call history from CSV: a header, a time column (<c>DateTime</c>, <c>Time</c>, <c>Timestamp</c> or
/// <c>At</c>; ISO 8601, the center's local clock) and a count column (<c>Calls</c> or <c>Count</c>), as exported by
/// most ACDs and as in ../shared/data/bank_calls-train.csv. A bad row stops the read with its line and reason: a
/// forecast from silently skipped history would be wrong without saying so.
/// </summary>
public static class CallHistoryCsv
{
    private static readonly string[] TimeColumns = ["DateTime", "Time", "Timestamp", "At"];
    private static readonly string[] CountColumns = ["Calls", "Count"];

    public static Result<DailySeries> Read(TextReader reader, TimeOnly opens, TimeSpan interval, int intervalsPerDay)
    {
        var rows = ReadRows(reader);
        if (rows.Error is { } error)
        {
            return error;
        }
        var series = new DailySeries(opens, interval, intervalsPerDay);
        var outside = rows.Value.Count(row => !series.Add(row.At, row.Calls));
        return series.Days.Count == 0
            ? Error.Validation("history", outside > 0 ? $"has no rows within opening hours ({outside} outside)." : "has no rows.")
            : series;
    }

    /// <summary>The rows as they are: local time and count, in file order.</summary>
    public static Result<List<(DateTime At, double Calls)>> ReadRows(TextReader reader, int maxRows = int.MaxValue)
    {
        using var csv = CsvReader.Create(reader, new CsvReaderOptions { TrackLineNumbers = true }, leaveOpen: true);
        var header = csv.Headers;
        if (header.Count == 0)
        {
            return Error.Validation("history", "is empty: expected a header with a time and a calls column.");
        }
        var time = header.FirstOrDefault(h => TimeColumns.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase));
        var count = header.FirstOrDefault(h => CountColumns.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase));
        if (time is null || count is null)
        {
            return Error.Validation("history", $"needs a time column ({string.Join(", ", TimeColumns)}) and a count column ({string.Join(", ", CountColumns)}); found {string.Join(", ", header)}.");
        }
        var rows = new List<(DateTime, double)>();
        while (csv.Read())
        {
            var line = csv.LineNumber;
            if (rows.Count == maxRows)
            {
                return Error.Validation("history", $"line {line}: more than {maxRows:N0} rows; send them in parts.");
            }
            var rawTime = csv.GetString(time).Trim();
            var rawCount = csv.GetString(count).Trim();
            // A trailing Z labels the clock, it does not move it: history is in the center's local time.
            if (!DateTime.TryParse(rawTime.TrimEnd('Z', 'z'), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return Error.Validation("history", $"line {line}: '{Shorten(rawTime)}' is not a date and time.");
            }
            if (!double.TryParse(rawCount, NumberStyles.Float, CultureInfo.InvariantCulture, out var calls) || calls < 0 || !double.IsFinite(calls))
            {
                return Error.Validation("history", $"line {line}: '{Shorten(rawCount)}' is not a count of calls.");
            }
            rows.Add((at, calls));
        }
        return rows;
    }

    private static string Shorten(string? value) => value is null ? "" : value.Length > 40 ? value[..40] + "…" : value;
}
