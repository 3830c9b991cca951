using System.Globalization;

namespace Switchboard.Core.Forecasting;

/// <summary>
/// Daily values of what drives demand besides the calendar, known ahead for the day forecast: campaign sends,
/// renewals or expiries due, shipments, open tickets. Names are free; a day without a value for a driver is left out
/// of the fit.
/// </summary>
public sealed class DailyRegressors
{
    private readonly SortedDictionary<DateOnly, Dictionary<string, double>> _days = [];

    public IReadOnlyList<string> Names => [.. _days.Values.SelectMany(d => d.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public void Set(DateOnly day, string name, double value)
    {
        if (!_days.TryGetValue(day, out var values))
        {
            _days[day] = values = new Dictionary<string, double>(StringComparer.Ordinal);
        }
        values[name] = value;
    }

    /// <summary>Every known value.</summary>
    public IEnumerable<(DateOnly Day, string Name, double Value)> All() =>
        _days.SelectMany(d => d.Value.Select(v => (d.Key, v.Key, v.Value)));

    public bool TryGet(DateOnly day, IReadOnlyList<string> names, out double[] values)
    {
        values = new double[names.Count];
        if (!_days.TryGetValue(day, out var known))
        {
            return false;
        }
        for (var i = 0; i < names.Count; i++)
        {
            if (!known.TryGetValue(names[i], out values[i]))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// A regression of the day's total on the weekday and the CRM's drivers (least squares with a light ridge, over the
/// last <paramref name="weeks"/> weeks), spread over the day by the intraday profile of the last 8 same weekdays.
/// It wins the backtest where demand follows something the CRM knows ahead — a campaign, a wave of renewals — which
/// no model of the calls alone can see coming.
/// </summary>
public sealed class RegressionModel(DailyRegressors regressors, int weeks = 12) : IForecastModel
{
    public string Name => $"regression on weekday and {string.Join(", ", regressors.Names)}";

    public DayForecast? Forecast(DailySeries history, DateOnly day)
    {
        var names = regressors.Names;
        if (names.Count == 0 || !regressors.TryGet(day, names, out var today))
        {
            return null;
        }
        var days = history.Before(day).Where(d => d > day.AddDays(-7 * weeks) && regressors.TryGet(d, names, out _)).ToList();
        var weekdays = days.Select(d => d.DayOfWeek).Append(day.DayOfWeek).Distinct().Order().ToList();
        var columns = 1 + (weekdays.Count - 1) + names.Count;
        if (days.Count < columns + 5 || !days.Any(d => d.DayOfWeek == day.DayOfWeek))
        {
            return null;
        }
        double[] Row(DateOnly d, double[] drivers)
        {
            var row = new double[columns];
            row[0] = 1;
            var w = weekdays.IndexOf(d.DayOfWeek);
            if (w > 0)
            {
                row[w] = 1;
            }
            drivers.CopyTo(row, weekdays.Count);
            return row;
        }
        var rows = days.Select(d =>
        {
            regressors.TryGet(d, names, out var drivers);
            return (X: Row(d, drivers), Y: history[d].Sum());
        }).ToList();
        var beta = LeastSquares.Solve(rows.Select(r => r.X).ToList(), rows.Select(r => r.Y).ToList(), ridge: 1e-6);
        var x = Row(day, today);
        var total = Math.Max(0, x.Zip(beta, (a, b) => a * b).Sum());

        var (profile, _) = IntradayProfile.Of(history, day, 8);
        var values = profile.Select(p => total * p).ToArray();
        var drivers = string.Join(", ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture,
            $"{n} {today[i]:0.##} × {beta[weekdays.Count + i]:0.####} = {today[i] * beta[weekdays.Count + i]:+0;-0} calls")));
        return new DayForecast(Name, values, string.Create(CultureInfo.InvariantCulture,
            $"Regression over {days.Count} days: {total:0} calls, of which {drivers}; spread by the intraday profile of the last 8 {day.DayOfWeek}s."));
    }
}

/// <summary>Ordinary least squares by the normal equations with a small ridge, solved by Cholesky: for the few columns a daily regression has.</summary>
internal static class LeastSquares
{
    public static double[] Solve(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge)
    {
        var k = x[0].Length;
        // Scale columns so the ridge means the same for a count of thousands as for a 0/1 weekday.
        var scale = Enumerable.Range(0, k).Select(j => Math.Max(1e-12, Math.Sqrt(x.Average(r => r[j] * r[j])))).ToArray();
        var a = new double[k, k];
        var b = new double[k];
        for (var n = 0; n < x.Count; n++)
        {
            for (var i = 0; i < k; i++)
            {
                var xi = x[n][i] / scale[i];
                b[i] += xi * y[n];
                for (var j = 0; j <= i; j++)
                {
                    a[i, j] += xi * x[n][j] / scale[j];
                }
            }
        }
        for (var i = 0; i < k; i++)
        {
            a[i, i] += ridge * x.Count;
        }
        // Cholesky: a = L·Lᵀ (lower triangle in place), then forward and back substitution.
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var m = 0; m < j; m++)
                {
                    sum -= a[i, m] * a[j, m];
                }
                a[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-300)) : sum / a[j, j];
            }
        }
        var z = new double[k];
        for (var i = 0; i < k; i++)
        {
            var sum = b[i];
            for (var m = 0; m < i; m++)
            {
                sum -= a[i, m] * z[m];
            }
            z[i] = sum / a[i, i];
        }
        var beta = new double[k];
        for (var i = k - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var m = i + 1; m < k; m++)
            {
                sum -= a[m, i] * beta[m];
            }
            beta[i] = sum / a[i, i];
        }
        return [.. beta.Select((v, i) => v / scale[i])];
    }
}
