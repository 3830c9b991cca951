namespace Switchboard.Core.Forecasting;

/// <summary>WAPE: Σ|forecast − actual| / Σ actual, the accuracy measure contact centers compare forecasts by.</summary>
public static class Wape
{
    /// <param name="pairs">Forecast and actual for each interval (or day).</param>
    public static double Of(IEnumerable<(double Forecast, double Actual)> pairs)
    {
        double error = 0, actual = 0;
        foreach (var (f, a) in pairs)
        {
            error += Math.Abs(f - a);
            actual += a;
        }
        return actual == 0 ? (error == 0 ? 0 : double.PositiveInfinity) : error / actual;
    }
}

/// <summary>A day's forecast as served: the chosen model's values, a prediction band, why that model, and how it did in the backtest.</summary>
/// <param name="Day">The day forecast.</param>
/// <param name="Forecast">The chosen model's forecast and explanation.</param>
/// <param name="Low">Lower edge of the 80% prediction band per interval.</param>
/// <param name="High">Upper edge of the 80% prediction band per interval.</param>
/// <param name="BacktestWape">The chosen model's WAPE per interval over the backtest days.</param>
/// <param name="BaselineWape">The seasonal-naive baseline's WAPE over the same days.</param>
/// <param name="BacktestDays">Days in the backtest.</param>
public sealed record QueueForecast(DateOnly Day, DayForecast Forecast, double[] Low, double[] High, double BacktestWape, double BaselineWape, int BacktestDays);

/// <summary>
/// Chooses, per queue and day, the model with the lowest WAPE per interval on a rolling-origin backtest over the
/// days just before (each backtest day forecast only from the days before it), and gives the forecast an 80% band
/// from the chosen model's backtest errors (the 10th and 90th percentiles of actual/forecast).
/// </summary>
public sealed class Forecaster(IReadOnlyList<IForecastModel> models, int backtestDays = 20)
{
    /// <summary>The seasonal-naive baseline, then double seasonal smoothing over a grid of smoothing weights.</summary>
    public static Forecaster Default { get; } = new(Candidates());

    /// <summary>The default candidates, plus a regression on the CRM's drivers where they are known.</summary>
    public static Forecaster With(DailyRegressors regressors) => new([.. Candidates(), new RegressionModel(regressors)]);

    private static IForecastModel[] Candidates() =>
        [new SeasonalNaive(), .. new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7 }.Select(a => (IForecastModel)new SmoothedDayProfile(a))];

    public QueueForecast? Forecast(DailySeries history, DateOnly day)
    {
        var window = history.Before(day).Take(backtestDays).Reverse().ToList();
        (IForecastModel Model, double Wape, List<double> Ratios)? best = null;
        double baseline = double.NaN;
        foreach (var model in models)
        {
            var pairs = new List<(double, double)>();
            var ratios = new List<double>();
            var complete = true;
            foreach (var d in window)
            {
                if (model.Forecast(history, d) is not { } forecast)
                {
                    complete = false;
                    break;
                }
                var actual = history[d];
                for (var i = 0; i < actual.Length; i++)
                {
                    pairs.Add((forecast.Values[i], actual[i]));
                    if (forecast.Values[i] > 0)
                    {
                        ratios.Add(actual[i] / forecast.Values[i]);
                    }
                }
            }
            if (!complete || window.Count == 0)
            {
                continue;
            }
            var wape = Wape.Of(pairs);
            if (model is SeasonalNaive)
            {
                baseline = wape;
            }
            if (best is null || wape < best.Value.Wape)
            {
                best = (model, wape, ratios);
            }
        }
        if (best is not { } chosen || chosen.Model.Forecast(history, day) is not { } result)
        {
            return null;
        }
        chosen.Ratios.Sort();
        var low = Quantile(chosen.Ratios, 0.10);
        var high = Quantile(chosen.Ratios, 0.90);
        return new QueueForecast(day, result with { Explanation = $"{result.Explanation} Chosen over {models.Count - 1} other models by WAPE on the {window.Count} days before." },
            [.. result.Values.Select(v => v * low)], [.. result.Values.Select(v => v * high)], chosen.Wape, baseline, window.Count);
    }

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? 1 : sorted[Math.Clamp((int)Math.Round(q * (sorted.Count - 1)), 0, sorted.Count - 1)];
}
