using Switchboard.Core.Forecasting;

namespace Switchboard.Tests.Staffing;

public sealed class RegressionForecastTests
{
    [Fact]
    public void WhenDemandFollowsCampaigns_TheRegressionOnTheCrmsDriversIsChosen_AndSaysHowMuchTheyAdd()
    {
        // 28 weeks of weekdays: 1,000 calls a day (1,300 on Mondays), plus 8 calls per 100 campaign messages sent
        // that day; a campaign goes out on about a quarter of the days. Poisson-like noise per half hour.
        var random = new Random(3);
        var series = new DailySeries(new TimeOnly(8, 0), TimeSpan.FromMinutes(30), 24);
        var drivers = new DailyRegressors();
        var first = new DateOnly(2026, 1, 5);
        for (var day = first; day < first.AddDays(196); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            var sends = random.Next(4) == 0 ? random.Next(5_000, 20_000) : 0;
            drivers.Set(day, "campaign_sends", sends);
            var total = (day.DayOfWeek == DayOfWeek.Monday ? 1_300 : 1_000) + 0.08 * sends;
            for (var i = 0; i < 24; i++)
            {
                var mean = total / 24;
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                series.Add(day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(30 * i), Math.Max(0, Math.Round(mean + Math.Sqrt(mean) * normal)));
            }
        }
        var test = series.Days.TakeLast(20).ToList();
        double DayWape(Forecaster forecaster, out List<QueueForecast> forecasts)
        {
            var made = test.Select(d => forecaster.Forecast(series, d)!).ToList();
            forecasts = made;
            return Wape.Of(made.Select(f => (f.Forecast.Values.Sum(), series[f.Day].Sum())));
        }

        var withDrivers = DayWape(Forecaster.With(drivers), out var chosen);
        var callsAlone = DayWape(Forecaster.Default, out _);

        Assert.True(withDrivers < 0.5 * callsAlone, $"with the CRM's drivers {withDrivers:P2}, from calls alone {callsAlone:P2}");
        Assert.True(chosen.Count(f => f.Forecast.Model.StartsWith("regression", StringComparison.Ordinal)) >= 18);
        var campaignDay = chosen.First(f => drivers.TryGet(f.Day, ["campaign_sends"], out var v) && v[0] > 0);
        Assert.Contains("campaign_sends", campaignDay.Forecast.Explanation, StringComparison.Ordinal);
        // It learnt about 0.08 calls per message.
        Assert.Matches(@"× 0\.0[78]\d*", campaignDay.Forecast.Explanation);
    }

    [Fact]
    public void WithoutTheDriversValueForTheDay_TheRegressionStandsAside()
    {
        var series = new DailySeries(new TimeOnly(8, 0), TimeSpan.FromMinutes(30), 2);
        var drivers = new DailyRegressors();
        for (var d = new DateOnly(2026, 1, 5); d < new DateOnly(2026, 3, 2); d = d.AddDays(1))
        {
            series.Add(d.ToDateTime(new TimeOnly(8, 0)), 10);
            drivers.Set(d, "shipments", 1);
        }
        Assert.Null(new RegressionModel(drivers).Forecast(series, new DateOnly(2026, 3, 3)));
        Assert.NotNull(new RegressionModel(drivers).Forecast(series, new DateOnly(2026, 3, 1)));
    }
}
