using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Forecasting;

/// <summary>What an import of call history did.</summary>
public sealed record CallHistoryImportResult(string? Queue, int Rows, int Added, int Replaced, DateTime? From, DateTime? Until);

/// <summary>What an import of the CRM's daily drivers did.</summary>
public sealed record ForecastDriversImportResult(IReadOnlyList<string> Drivers, int Values, int Added, int Replaced);

/// <summary>
/// Imports call counts per interval from before Switchboard ran (CSV, the center's local time), per queue. Rows are
/// keyed by queue and start: importing the same file again replaces, never doubles. All or nothing. The CRM's daily
/// drivers (<see cref="ForecastDriver"/>) come the same way.
/// </summary>
internal sealed class CallHistoryImport(SwitchboardDbContext db, TimeProvider time)
{
    public const int MaxRows = 100_000;

    public async Task<Result<CallHistoryImportResult>> ImportAsync(string? queue, int minutes, TextReader csv, CancellationToken cancellationToken)
    {
        if (queue?.Length > Limits.Code)
        {
            return Error.Validation("queue", $"must be at most {Limits.Code} characters.");
        }
        if (minutes is not (5 or 15 or 30 or 60))
        {
            return Error.Validation("intervalMinutes", "must be 5, 15, 30 or 60.");
        }
        var read = CallHistoryCsv.ReadRows(csv, MaxRows);
        if (read.Error is { } error)
        {
            return error;
        }
        // Wall-clock times, labelled UTC for the store (ImportedCallVolume.Start).
        var rows = read.Value.Select(r => (At: DateTime.SpecifyKind(r.At, DateTimeKind.Utc), r.Calls)).ToList();
        if (rows.Count == 0)
        {
            return Error.Validation("history", "has no rows.");
        }
        var key = queue ?? "";
        var duplicate = rows.GroupBy(r => r.At).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Error.Validation("history", $"names the interval {duplicate.Key:yyyy-MM-dd HH:mm} twice.");
        }
        var (from, until) = (rows.Min(r => r.At), rows.Max(r => r.At));
        var existing = await db.ImportedCallVolumes.Where(v => v.Queue == key && v.Start >= from && v.Start <= until)
            .ToDictionaryAsync(v => v.Start, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (at, calls) in rows)
        {
            if (existing.TryGetValue(at, out var row))
            {
                (row.Calls, row.Minutes, row.ImportedAt) = (calls, minutes, now);
            }
            else
            {
                db.ImportedCallVolumes.Add(new ImportedCallVolume { Queue = key, Start = at, Minutes = minutes, Calls = calls, ImportedAt = now });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        var replaced = rows.Count(r => existing.ContainsKey(r.At));
        return new CallHistoryImportResult(queue, rows.Count, rows.Count - replaced, replaced, from, until);
    }

    public async Task<Result<ForecastDriversImportResult>> ImportDriversAsync(TextReader csv, CancellationToken cancellationToken)
    {
        var read = RegressorsCsv.Read(csv);
        if (read.Error is { } error)
        {
            return error;
        }
        var values = read.Value.All().ToList();
        if (values.Count is 0 or > MaxRows)
        {
            return Error.Validation("drivers", $"must hold 1 to {MaxRows:N0} values.");
        }
        if (read.Value.Names.FirstOrDefault(n => n.Length > Limits.Code) is { } longName)
        {
            return Error.Validation("drivers", $"'{longName[..20]}…' is longer than {Limits.Code} characters.");
        }
        var names = read.Value.Names;
        var (from, until) = (values.Min(v => v.Day), values.Max(v => v.Day));
        var existing = await db.ForecastDrivers.Where(d => names.Contains(d.Name) && d.Day >= from && d.Day <= until)
            .ToDictionaryAsync(d => (d.Name, d.Day), cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var replaced = 0;
        foreach (var (day, name, value) in values)
        {
            if (existing.TryGetValue((name, day), out var row))
            {
                (row.Value, row.ImportedAt) = (value, now);
                replaced++;
            }
            else
            {
                db.ForecastDrivers.Add(new ForecastDriver { Name = name, Day = day, Value = value, ImportedAt = now });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ForecastDriversImportResult(names, values.Count, values.Count - replaced, replaced);
    }
}
