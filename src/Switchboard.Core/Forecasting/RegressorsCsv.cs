using System.Globalization;
using CsvHelper;
using Switchboard.Core.Common;

namespace Switchboard.Core.Forecasting;

/// <summary>
/// Reads the CRM's daily drivers from CSV: a <c>Date</c> (or <c>Day</c>) column, yyyy-MM-dd, and one numeric column
/// per driver (campaign_sends, renewals_due, shipments, open_tickets, ...). Empty cells are unknown; a bad cell stops
/// the read with its line and column.
/// </summary>
public static class RegressorsCsv
{
    public static Result<DailyRegressors> Read(TextReader reader)
    {
        using var csv = CsvReader.Create(reader, new CsvReaderOptions { TrackLineNumbers = true }, leaveOpen: true);
        var header = csv.Headers;
        var date = header.FirstOrDefault(h => h.Trim() is var name && (name.Equals("Date", StringComparison.OrdinalIgnoreCase) || name.Equals("Day", StringComparison.OrdinalIgnoreCase)));
        var drivers = header.Where(h => h != date && !string.IsNullOrWhiteSpace(h)).ToList();
        if (date is null || drivers.Count == 0)
        {
            return Error.Validation("regressors", "needs a Date column and at least one driver column.");
        }
        if (drivers.Count > 20)
        {
            return Error.Validation("regressors", "may have at most 20 driver columns.");
        }
        var regressors = new DailyRegressors();
        while (csv.Read())
        {
            var line = csv.LineNumber;
            var rawDay = csv.GetString(date).Trim();
            if (!DateOnly.TryParseExact(rawDay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return Error.Validation("regressors", $"line {line}: '{rawDay}' is not a date (yyyy-MM-dd).");
            }
            foreach (var driver in drivers)
            {
                var raw = csv.GetString(driver).Trim();
                if (raw.Length == 0)
                {
                    continue;
                }
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    return Error.Validation("regressors", $"line {line}, column {driver.Trim()}: '{raw}' is not a number.");
                }
                regressors.Set(day, driver.Trim(), value);
            }
        }
        return regressors;
    }
}
