using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Forecasting;

/// <summary>Host settings under <c>Forecasting</c>: the center's clock and opening hours, which call history is read in.</summary>
public sealed class ForecastingOptions
{
    /// <summary>The center's time zone (IANA id). Default Asia/Shanghai.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Opening time, HH:mm. Default 08:00.</summary>
    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$")]
    public string Opens { get; set; } = "08:00";

    /// <summary>Closing time, HH:mm. Default 20:00.</summary>
    [RegularExpression(@"^([01]\d|2[0-4]):[0-5]\d$")]
    public string Closes { get; set; } = "20:00";

    /// <summary>Minutes per forecast interval: 5, 15, 30 or 60. Default 30.</summary>
    [AllowedValues(5, 15, 30, 60)]
    public int IntervalMinutes { get; set; } = 30;

    /// <summary>Days of history read for a forecast. Default 140 (20 weeks).</summary>
    [Range(35, 730)]
    public int HistoryDays { get; set; } = 140;
}

/// <summary>A queue's forecast for a day, interval by interval, with actuals where the day has happened.</summary>
public sealed record ForecastView(
    string? Queue, string? Region, DateOnly Day, int IntervalMinutes, string Model, string Explanation, double BacktestWape, double BaselineWape, int BacktestDays,
    IReadOnlyList<ForecastIntervalView> Intervals);

/// <summary>One interval: the forecast, its 80% band, and the calls that came, once known. Times are the center's.</summary>
public sealed record ForecastIntervalView(DateTime Start, double Calls, double Low, double High, double? Actual);

/// <summary>
/// Interval volumes from the call journal: each call counted once, at its first event, in the center's local time,
/// per queue (any event of the call may name it) or for all queues. The journal is the source because it holds
/// every call, unknown callers included, which the customers' timelines do not. Days the journal has no calls for
/// come from imported history (<see cref="CallHistoryImport"/>), so a center forecasts from its first day.
/// </summary>
internal sealed class CallVolumes(SwitchboardDbContext db, IOptions<ForecastingOptions> options, TimeProvider time)
{
    public async Task<Result<ForecastView>> ForecastAsync(string? queue, string? region, DateOnly? day, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (queue?.Length > Limits.Code)
        {
            return Error.Validation("queue", $"must be at most {Limits.Code} characters.");
        }
        if (region?.Length > Limits.Code)
        {
            return Error.Validation("region", $"must be at most {Limits.Code} characters.");
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var opens = TimeOnly.ParseExact(settings.Opens, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var closes = settings.Closes == "24:00" ? TimeOnly.MaxValue : TimeOnly.ParseExact(settings.Closes, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var step = TimeSpan.FromMinutes(settings.IntervalMinutes);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var target = day ?? today.AddDays(1);
        var from = TimeZoneInfo.ConvertTimeToUtc(target.AddDays(-settings.HistoryDays).ToDateTime(TimeOnly.MinValue), zone);
        var until = TimeZoneInfo.ConvertTimeToUtc(target.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);

        // By region: the calls of identified customers of that region (their timeline's calls); the journal does not
        // know who called, so unknown callers are in no region.
        var calls = region is null
            ? await db.CallJournal.AsNoTracking().Where(e => e.At >= from && e.At < until)
                .GroupBy(e => new { e.Source, e.SourceCallId })
                .Select(g => new { At = g.Min(e => e.At), Queue = g.Max(e => e.Queue) })
                .ToListAsync(cancellationToken)
            : await db.Interactions.AsNoTracking()
                .Where(i => i.Kind == InteractionKind.Call && i.Direction == InteractionDirection.Inbound && i.StartedAt >= from && i.StartedAt < until)
                .Join(db.Customers.Where(c => c.Region == region), i => i.CustomerId, c => c.Id, (i, c) => new { At = i.StartedAt, i.Queue })
                .ToListAsync(cancellationToken);
        var series = new DailySeries(opens, step, (int)Math.Ceiling((closes - opens) / step));
        foreach (var call in calls.Where(c => queue is null || string.Equals(c.Queue, queue, StringComparison.Ordinal)))
        {
            series.Add(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(call.At, DateTimeKind.Unspecified), zone), 1);
        }
        // Imported history (from before Switchboard ran) is per queue, so it fills the days the journal has no calls
        // for when no region is asked.
        if (region is null)
        {
            var key = queue ?? "";
            var earliest = target.AddDays(-settings.HistoryDays).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc); // wall clock, labelled UTC
            var latest = target.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var imported = await db.ImportedCallVolumes.AsNoTracking().Where(v => v.Queue == key && v.Start >= earliest && v.Start < latest)
                .Select(v => new { v.Start, v.Calls }).ToListAsync(cancellationToken);
            var journalDays = series.Days.ToHashSet();
            foreach (var row in imported.Where(r => !journalDays.Contains(DateOnly.FromDateTime(r.Start))))
            {
                series.Add(row.Start, row.Calls);
            }
        }
        // The CRM's drivers, where imported, add the regression to the candidates.
        var firstDay = target.AddDays(-settings.HistoryDays);
        var drivers = await db.ForecastDrivers.AsNoTracking().Where(d => d.Day >= firstDay && d.Day <= target).ToListAsync(cancellationToken);
        var forecaster = Forecaster.Default;
        if (drivers.Count > 0)
        {
            var regressors = new DailyRegressors();
            drivers.ForEach(d => regressors.Set(d.Day, d.Name, d.Value));
            forecaster = Forecaster.With(regressors);
        }
        // A day with no calls at all is a day the center was closed, except the one being forecast.
        if (forecaster.Forecast(series, target) is not { } forecast)
        {
            return Error.Validation("day", $"needs call history first: at least 4 earlier {target.DayOfWeek}s and 20 days to backtest on; the journal holds {series.Days.Count(d => d < target)} days with calls before {target:yyyy-MM-dd}.");
        }
        var actual = series.Contains(target) && target < today ? series[target] : null;
        var intervals = forecast.Forecast.Values.Select((v, i) => new ForecastIntervalView(
            target.ToDateTime(opens) + i * step, v, forecast.Low[i], forecast.High[i], actual?[i])).ToList();
        return new ForecastView(queue, region, target, settings.IntervalMinutes, forecast.Forecast.Model, forecast.Forecast.Explanation,
            forecast.BacktestWape, forecast.BaselineWape, forecast.BacktestDays, intervals);
    }
}
