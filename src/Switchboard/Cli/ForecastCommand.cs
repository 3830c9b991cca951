using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Staffing;

namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard forecast</c>: forecast a day's calls from history, say how accurate the chosen model has been against
/// the seasonal-naive baseline, and turn the forecast into agents per interval (Erlang C/A) and shifts.
/// </summary>
internal static class ForecastCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var history = new Option<FileInfo>("--history") { Description = "CSV of call counts per interval: a time column (DateTime/Time/Timestamp/At) and Calls.", Required = true };
        var opens = new Option<string>("--opens") { Description = "When the first interval of a day starts (HH:mm).", DefaultValueFactory = _ => "07:00" };
        var closes = new Option<string>("--closes") { Description = "When the last interval of a day ends (HH:mm).", DefaultValueFactory = _ => "21:05" };
        var interval = new Option<int>("--interval") { Description = "Minutes per interval in the history.", DefaultValueFactory = _ => 5 };
        var report = new Option<int>("--report-interval") { Description = "Minutes per interval for the forecast, staffing and plan (a multiple of --interval).", DefaultValueFactory = _ => 30 };
        var day = new Option<string?>("--day") { Description = "The day to forecast (yyyy-MM-dd); default the next weekday after the history." };
        var evaluate = new Option<int>("--evaluate") { Description = "Also forecast the last N days of the history, each from the days before it, and report WAPE against the baseline.", DefaultValueFactory = _ => 0 };
        var aht = new Option<int>("--aht") { Description = "Average handling time in seconds.", DefaultValueFactory = _ => 180 };
        var serviceLevel = new Option<double>("--service-level") { Description = "Share of calls to answer within --answer-within.", DefaultValueFactory = _ => 0.8 };
        var answerWithin = new Option<int>("--answer-within") { Description = "Service-level time in seconds.", DefaultValueFactory = _ => 20 };
        var shrinkage = new Option<double>("--shrinkage") { Description = "Share of paid time off the phones.", DefaultValueFactory = _ => 0.3 };
        var maxOccupancy = new Option<double>("--max-occupancy") { Description = "Highest accepted share of time on calls.", DefaultValueFactory = _ => 0.9 };
        var regressorsFile = new Option<FileInfo?>("--regressors") { Description = "CSV of the CRM's daily drivers (Date, then a column per driver: campaign_sends, renewals_due, ...), known ahead for the day forecast." };
        var patience = new Option<int?>("--patience") { Description = "Mean seconds callers wait before hanging up (reports P(abandon), Erlang A)." };
        var command = new Command("forecast", "Forecast a day's calls from history, report accuracy against the seasonal-naive baseline, and staff it: agents per interval and shifts.")
        {
            history, regressorsFile, opens, closes, interval, report, day, evaluate, aht, serviceLevel, answerWithin, shrinkage, maxOccupancy, patience,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TimeOnly.TryParseExact(parse.GetValue(opens), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                || !TimeOnly.TryParseExact(parse.GetValue(closes), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close) || close <= open)
            {
                return await FailAsync(error, "--opens and --closes must be HH:mm, opening before closing.");
            }
            var step = TimeSpan.FromMinutes(parse.GetValue(interval));
            var reportMinutes = parse.GetValue(report);
            if (step <= TimeSpan.Zero || reportMinutes <= 0 || reportMinutes % step.TotalMinutes != 0)
            {
                return await FailAsync(error, "--interval must be positive and --report-interval a multiple of it.");
            }
            var target = new StaffingTarget(TimeSpan.FromSeconds(parse.GetValue(aht)), parse.GetValue(serviceLevel), TimeSpan.FromSeconds(parse.GetValue(answerWithin)),
                parse.GetValue(shrinkage), parse.GetValue(maxOccupancy), parse.GetValue(patience) is { } p ? TimeSpan.FromSeconds(p) : null);
            if (target.Problem() is var (field, reason))
            {
                var option = OptionNames[field];
                return await FailAsync(error, $"{option} {reason}");
            }
            var file = parse.GetValue(history)!;
            if (!file.Exists)
            {
                return await FailAsync(error, $"--history {file.FullName} does not exist.");
            }
            DailySeries series;
            using (var reader = file.OpenText())
            {
                var read = CallHistoryCsv.Read(reader, open, step, (int)Math.Ceiling((close - open) / step));
                if (read.Error is { } invalid)
                {
                    return await FailAsync(error, $"--history {file.Name}: {string.Join(" ", invalid.Fields?.SelectMany(f => f.Value) ?? [invalid.Message])}");
                }
                series = read.Value;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"History: {series.Days.Count} days, {series.Days[0]:yyyy-MM-dd} to {series.Days[^1]:yyyy-MM-dd}, {series.IntervalsPerDay} intervals of {step.TotalMinutes:0} minutes from {open:HH:mm}."));

            var forecaster = Forecaster.Default;
            if (parse.GetValue(regressorsFile) is { } driversFile)
            {
                if (!driversFile.Exists)
                {
                    return await FailAsync(error, $"--regressors {driversFile.FullName} does not exist.");
                }
                using var reader = driversFile.OpenText();
                var drivers = RegressorsCsv.Read(reader);
                if (drivers.Error is { } invalid)
                {
                    return await FailAsync(error, $"--regressors {driversFile.Name}: {string.Join(" ", invalid.Fields?.SelectMany(f => f.Value) ?? [invalid.Message])}");
                }
                forecaster = Forecaster.With(drivers.Value);
                await output.WriteLineAsync($"Drivers: {string.Join(", ", drivers.Value.Names)}.");
            }

            var factor = (int)(reportMinutes / step.TotalMinutes);
            if (parse.GetValue(evaluate) is > 0 and var n)
            {
                await EvaluateAsync(series, forecaster, n, factor, output, cancellationToken);
            }

            DateOnly forecastDay;
            if (parse.GetValue(day) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out forecastDay))
                {
                    return await FailAsync(error, $"--day '{text}' is not a date (yyyy-MM-dd).");
                }
            }
            else
            {
                forecastDay = NextOpenDay(series);
            }
            if (forecaster.Forecast(series, forecastDay) is not { } forecast)
            {
                return await FailAsync(error, $"not enough history before {forecastDay:yyyy-MM-dd}: every model needs at least 4 earlier {forecastDay.DayOfWeek}s and 20 days to backtest on.");
            }
            await WriteForecastAsync(forecast, series, factor, target, output);
            return 0;
        });
        return command;
    }

    /// <summary>The option that sets each of <see cref="StaffingTarget"/>'s values.</summary>
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        [nameof(StaffingTarget.Aht)] = "--aht", [nameof(StaffingTarget.ServiceLevel)] = "--service-level",
        [nameof(StaffingTarget.AnswerWithin)] = "--answer-within", [nameof(StaffingTarget.Shrinkage)] = "--shrinkage",
        [nameof(StaffingTarget.MaxOccupancy)] = "--max-occupancy", [nameof(StaffingTarget.Patience)] = "--patience",
    };

    private static DateOnly NextOpenDay(DailySeries series)
    {
        var weekends = series.Days.Any(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        var next = series.Days[^1].AddDays(1);
        while (!weekends && next.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            next = next.AddDays(1);
        }
        return next;
    }

    private static async Task EvaluateAsync(DailySeries series, Forecaster forecaster, int count, int factor, TextWriter output, CancellationToken cancellationToken)
    {
        var days = series.Days.TakeLast(count).ToList();
        var results = new List<(DateOnly Day, QueueForecast Chosen, DayForecast Baseline)>();
        void Run(Action<int>? progress)
        {
            foreach (var d in days)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (forecaster.Forecast(series, d) is { } chosen && new SeasonalNaive().Forecast(series, d) is { } baseline)
                {
                    results.Add((d, chosen, baseline));
                }
                progress?.Invoke(1);
            }
        }
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress().StartAsync(context =>
            {
                var task = context.AddTask("Backtesting days", maxValue: days.Count);
                Run(step => task.Increment(step));
                return Task.CompletedTask;
            });
        }
        else
        {
            Run(null);
        }
        if (results.Count == 0)
        {
            await output.WriteLineAsync("Evaluation: no day in the range has enough history before it.");
            return;
        }

        double Day(Func<(DateOnly Day, QueueForecast Chosen, DayForecast Baseline), double[]> values) =>
            Wape.Of(results.Select(r => (values(r).Sum(), series[r.Day].Sum())));
        double Interval(Func<(DateOnly Day, QueueForecast Chosen, DayForecast Baseline), double[]> values, int by) =>
            Wape.Of(results.SelectMany(r => Chunks(values(r), by).Zip(Chunks(series[r.Day], by))));
        await output.WriteLineAsync($"Rolling-origin evaluation of the last {results.Count} days (each forecast only from the days before it):");
        await output.WriteLineAsync("                      chosen   baseline   better by");
        async Task Line(string name, double chosen, double baseline) =>
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  WAPE {name,-14} {chosen,7:P2}   {baseline,7:P2}   {1 - chosen / baseline,8:P1}"));
        await Line("per day", Day(r => r.Chosen.Forecast.Values), Day(r => r.Baseline.Values));
        if (factor > 1)
        {
            await Line($"per {series.Interval.TotalMinutes * factor:0} minutes", Interval(r => r.Chosen.Forecast.Values, factor), Interval(r => r.Baseline.Values, factor));
        }
        await Line($"per {series.Interval.TotalMinutes:0} minutes", Interval(r => r.Chosen.Forecast.Values, 1), Interval(r => r.Baseline.Values, 1));
        foreach (var group in results.GroupBy(r => r.Chosen.Forecast.Model).OrderByDescending(g => g.Count()))
        {
            await output.WriteLineAsync($"  chosen on {group.Count(),3} days: {group.Key}");
        }
    }

    private static async Task WriteForecastAsync(QueueForecast forecast, DailySeries series, int factor, StaffingTarget target, TextWriter output)
    {
        var step = series.Interval * factor;
        var start = forecast.Day.ToDateTime(series.Opens);
        var values = Chunks(forecast.Forecast.Values, factor).ToArray();
        var low = Chunks(forecast.Low, factor).ToArray();
        var high = Chunks(forecast.High, factor).ToArray();
        // The last interval may be shorter (07:00–21:05 in half hours ends with 21:00–21:05): its load is per its own length.
        var requirement = Requirements.For(values.Select((v, i) => (start + i * step, series.Interval * Math.Min(factor, series.IntervalsPerDay - i * factor), v)), target);
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c,
            $"Forecast for {forecast.Day:yyyy-MM-dd} ({forecast.Day.DayOfWeek}): {values.Sum():N0} calls (80% band {low.Sum():N0}–{high.Sum():N0})."));
        await output.WriteLineAsync($"  Model: {forecast.Forecast.Model}. {forecast.Forecast.Explanation}");
        await output.WriteLineAsync(string.Create(c,
            $"  Backtest WAPE per {series.Interval.TotalMinutes:0} minutes over {forecast.BacktestDays} days: {forecast.BacktestWape:P2} (baseline {forecast.BaselineWape:P2})."));
        await output.WriteLineAsync(string.Create(c,
            $"Staffing: {target.ServiceLevel:P0} answered within {target.AnswerWithin.TotalSeconds:0} s, AHT {target.Aht.TotalSeconds:0} s, max occupancy {target.MaxOccupancy:P0}, shrinkage {target.Shrinkage:P0}."));
        await output.WriteLineAsync("  time    calls     80% band   erlangs  agents  scheduled  service  P(wait)  occupancy" + (target.Patience is null ? "" : "  P(abandon)"));
        for (var i = 0; i < requirement.Count; i++)
        {
            var r = requirement[i];
            var abandon = r.ProbabilityOfAbandon is { } a ? a.ToString(" 0.00%", c).PadLeft(12) : "";
            await output.WriteLineAsync(string.Create(c,
                $"  {r.Start:HH:mm} {r.Calls,8:0.0} {low[i],6:0}–{high[i],-6:0} {r.Erlangs,7:0.0} {r.Agents,7} {r.Scheduled,10} {r.ServiceLevel,8:P1} {r.ProbabilityOfWait,8:P1} {r.Occupancy,10:P1}{abandon}"));
        }
        var plan = ShiftPlanner.Plan([.. requirement.Select(r => (r.Start, r.Scheduled))], step, DefaultTemplates(series, step));
        var uncovered = plan.Uncovered.Count > 0 ? " Not coverable by any shift: " + string.Join(", ", plan.Uncovered.Select(u => u.ToString("HH:mm", c))) + "." : "";
        await output.WriteLineAsync(string.Create(c,
            $"Shift plan: {plan.Shifts.Count} shifts, {plan.PaidHours:0.#} paid hours for {plan.RequiredHours:0.#} required agent-hours ({plan.PaidHours / Math.Max(1, plan.RequiredHours) - 1:P1} over); never under the requirement.{uncovered}"));
        foreach (var group in plan.Shifts.GroupBy(s => (s.Template, s.Start, s.BreakStart)).OrderBy(g => g.Key.Start))
        {
            var pause = group.Key.BreakStart is { } b ? ", break " + b.ToString("HH:mm", c) : "";
            await output.WriteLineAsync(string.Create(c, $"  {group.Count(),3} × {group.Key.Template,-5} {group.Key.Start:HH:mm}–{group.First().End:HH:mm}{pause}"));
        }
    }

    /// <summary>Full-time shifts of 8.5 hours with an unpaid half-hour break 3–5 hours in, and 4-hour part-time shifts, starting on any step of the day.</summary>
    private static ShiftTemplate[] DefaultTemplates(DailySeries series, TimeSpan step)
    {
        // Shifts may run to the end of the last reporting interval (a center closing at 21:05 staffs until 21:30 in half hours).
        var steps = (int)Math.Ceiling(series.Interval * series.IntervalsPerDay / step);
        var close = series.Opens.Add(step * steps);
        var breakLength = step >= TimeSpan.FromMinutes(30) ? step : TimeSpan.FromMinutes(30);
        return
        [
            new("full", TimeSpan.FromHours(8.5), series.Opens, close.Add(-TimeSpan.FromHours(8.5)), step, breakLength, TimeSpan.FromHours(3), TimeSpan.FromHours(5)),
            new("part", TimeSpan.FromHours(4), series.Opens, close.Add(-TimeSpan.FromHours(4)), step, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        ];
    }

    private static IEnumerable<double> Chunks(double[] values, int by) => values.Chunk(by).Select(c => c.Sum());

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync("error: " + message);
        return 2;
    }
}
