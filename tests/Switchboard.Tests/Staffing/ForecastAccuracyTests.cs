using System.Globalization;
using Switchboard.Core.Forecasting;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Staffing;

/// <summary>
/// Accuracy on real data: calls to a North American bank's call center per 5 minutes (Rdatasets, fpp3
/// <c>bank_calls</c>; ../shared/data). Its last 20 weekdays are forecast with a rolling origin, each from the days
/// before it only, and compared with the seasonal-naive baseline. docs/quality.md records the figures.
/// </summary>
public sealed class ForecastAccuracyTests
{
    [Fact]
    public void OnTheBanksCalls_TheChosenModelsBeatTheBaselineByAtLeast15Percent()
    {
        var series = BankCalls();
        var test = series.Days.TakeLast(20).ToList();
        var baseline = new SeasonalNaive();
        var forecasts = test.ToDictionary(d => d, d => Forecaster.Default.Forecast(series, d)!);
        var naive = test.ToDictionary(d => d, d => baseline.Forecast(series, d)!);

        double PerDay(Func<DateOnly, double[]> values) => Wape.Of(test.Select(d => (values(d).Sum(), series[d].Sum())));
        double PerHalfHour(Func<DateOnly, double[]> values) =>
            Wape.Of(test.SelectMany(d => HalfHours(values(d)).Zip(HalfHours(series[d]))));

        var (modelDay, baseDay) = (PerDay(d => forecasts[d].Forecast.Values), PerDay(d => naive[d].Values));
        var (modelHalf, baseHalf) = (PerHalfHour(d => forecasts[d].Forecast.Values), PerHalfHour(d => naive[d].Values));

        Assert.True(modelDay <= 0.85 * baseDay, $"per day: {modelDay:P2} against the baseline's {baseDay:P2}");
        Assert.True(modelHalf <= 0.85 * baseHalf, $"per 30 minutes: {modelHalf:P2} against the baseline's {baseHalf:P2}");
        // The 80% band holds about 80% of the actual half hours (calibrated on the backtest, checked on days it never saw).
        var inside = test.SelectMany(d => Enumerable.Range(0, series.IntervalsPerDay)
            .Select(i => series[d][i] >= forecasts[d].Low[i] && series[d][i] <= forecasts[d].High[i])).Average(x => x ? 1.0 : 0.0);
        Assert.InRange(inside, 0.65, 0.95);
        Assert.All(forecasts.Values, f => Assert.Contains("×", f.Forecast.Explanation, StringComparison.Ordinal));
    }

    private static IEnumerable<double> HalfHours(double[] fiveMinutes) => fiveMinutes.Chunk(6).Select(c => c.Sum());

    internal static DailySeries BankCalls()
    {
        var path = SharedData.Find("bank_calls-train.csv");
        var series = new DailySeries(new TimeOnly(7, 0), TimeSpan.FromMinutes(5), 169);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            // "UTC-labelled local time": the Z is a label, the clock is the center's.
            var at = DateTime.ParseExact(fields[1], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            Assert.True(series.Add(at, double.Parse(fields[2], CultureInfo.InvariantCulture)));
        }
        Assert.Equal(120, series.Days.Count);
        return series;
    }
}
