using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Forecasting;

/// <summary>What an import of call history did.</summary>
public sealed record CallHistoryImportResult(string? Queue, int Rows, int Added, int Replaced, DateTime? From, DateTime? Until);

/// <summary>
/// Imports call counts per interval from before Switchboard ran (CSV, the center's local time), per queue. Rows are
/// keyed by queue and start: importing the same file again replaces, never doubles. All or nothing.
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
}
