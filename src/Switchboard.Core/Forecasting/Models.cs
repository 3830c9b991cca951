namespace Switchboard.Core.Forecasting;

/// <summary>A forecast of one day, interval by interval, with what drove it.</summary>
public sealed record DayForecast(string Model, double[] Values, string Explanation);

/// <summary>A way to forecast a day from the days before it.</summary>
public interface IForecastModel
{
    string Name { get; }

    /// <summary>The forecast for <paramref name="day"/> from the days of <paramref name="history"/> before it; null when there are too few.</summary>
    DayForecast? Forecast(DailySeries history, DateOnly day);
}

/// <summary>The baseline: each interval is the mean of the same interval on the last <paramref name="weeks"/> same weekdays.</summary>
public sealed class SeasonalNaive(int weeks = 4) : IForecastModel
{
    public string Name => $"seasonal naive (mean of the last {weeks} same weekdays)";

    public DayForecast? Forecast(DailySeries history, DateOnly day)
    {
        var same = history.Before(day).Where(d => d.DayOfWeek == day.DayOfWeek).Take(weeks).ToList();
        if (same.Count < weeks)
        {
            return null;
        }
        var values = new double[history.IntervalsPerDay];
        foreach (var d in same)
        {
            var row = history[d];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] += row[i] / same.Count;
            }
        }
        return new DayForecast(Name, values, $"Each interval averages {string.Join(", ", same.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}.");
    }
}

/// <summary>
/// Double seasonal exponential smoothing, in the form call centers use: the day's total is a smoothed level
/// (simple exponential smoothing with weight <paramref name="alpha"/> on weekday-adjusted daily totals) times the
/// weekday's factor (from the last <paramref name="weekdayWeeks"/> weeks: the weekly cycle); it is spread over the
/// day by the intraday profile of the last <paramref name="profileDays"/> same weekdays (the daily cycle). The
/// level follows shifts in demand within days, where the seasonal-naive mean lags by weeks.
/// </summary>
public sealed class SmoothedDayProfile(double alpha, int weekdayWeeks = 8, int profileDays = 8) : IForecastModel
{
    public string Name => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"smoothed level (α={alpha:0.0#}) × weekday × intraday profile");

    public DayForecast? Forecast(DailySeries history, DateOnly day)
    {
        var before = history.Before(day).Reverse().ToList(); // oldest first
        if (before.Count < 10 || !before.Any(d => d.DayOfWeek == day.DayOfWeek))
        {
            return null;
        }
        var totals = before.ToDictionary(d => d, d => history[d].Sum());

        // The weekly cycle: each weekday's mean total over the recent weeks, relative to their mean.
        var recent = before.Where(d => d > day.AddDays(-7 * weekdayWeeks)).ToList();
        var overall = recent.Average(d => totals[d]);
        if (overall <= 0)
        {
            return new DayForecast(Name, new double[history.IntervalsPerDay], "No calls in the recent weeks.");
        }
        var factors = recent.GroupBy(d => d.DayOfWeek).ToDictionary(g => g.Key, g => g.Average(d => totals[d]) / overall);
        if (!factors.TryGetValue(day.DayOfWeek, out var factor))
        {
            return null;
        }

        // The level: weekday-adjusted totals, exponentially smoothed.
        double? level = null;
        foreach (var d in before)
        {
            var adjusted = totals[d] / factors.GetValueOrDefault(d.DayOfWeek, 1);
            level = level is { } l ? alpha * adjusted + (1 - alpha) * l : adjusted;
        }
        var total = level!.Value * factor;

        var (profile, sampled) = IntradayProfile.Of(history, day, profileDays);
        var values = profile.Select(p => total * p).ToArray();
        return new DayForecast(Name, values, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Level {level:0} calls a day (smoothed, α={alpha:0.0#}) × {day.DayOfWeek} factor {factor:0.000} = {total:0} calls, spread by the profile of the last {sampled} {day.DayOfWeek}s."));
    }
}

/// <summary>The daily cycle both day-level models spread their total by.</summary>
internal static class IntradayProfile
{
    /// <summary>
    /// Each interval's mean share of the day on the last <paramref name="days"/> same weekdays with calls, summing to 1
    /// (an even spread when there are none), and how many days it was taken from.
    /// </summary>
    public static (double[] Shares, int Days) Of(DailySeries history, DateOnly day, int days)
    {
        var from = history.Before(day).Where(d => d.DayOfWeek == day.DayOfWeek && history[d].Sum() > 0).Take(days).ToList();
        var shares = new double[history.IntervalsPerDay];
        foreach (var d in from)
        {
            var row = history[d];
            var total = row.Sum();
            for (var i = 0; i < shares.Length; i++)
            {
                shares[i] += row[i] / total / from.Count;
            }
        }
        var sum = shares.Sum();
        return (sum > 0 ? [.. shares.Select(p => p / sum)] : [.. shares.Select(_ => 1.0 / shares.Length)], from.Count);
    }
}
