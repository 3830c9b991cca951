namespace Switchboard.Core.Forecasting;

/// <summary>
/// Call volumes of one queue as whole days of equal intervals (e.g. 28 half hours from 07:00): the shape every model
/// reads. Days are those with data (a center closed on holidays simply has no row for them).
/// </summary>
public sealed class DailySeries
{
    private readonly SortedDictionary<DateOnly, double[]> _days = [];

    public DailySeries(TimeOnly opens, TimeSpan interval, int intervalsPerDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalsPerDay, 1);
        Opens = opens;
        Interval = interval;
        IntervalsPerDay = intervalsPerDay;
    }

    public TimeOnly Opens { get; }

    public TimeSpan Interval { get; }

    public int IntervalsPerDay { get; }

    public IReadOnlyList<DateOnly> Days => [.. _days.Keys];

    public double[] this[DateOnly day] => _days[day];

    public bool Contains(DateOnly day) => _days.ContainsKey(day);

    /// <summary>Adds calls at a local time; times outside opening hours are ignored and counted in the result (false).</summary>
    public bool Add(DateTime at, double calls)
    {
        var day = DateOnly.FromDateTime(at);
        var offset = at.TimeOfDay - Opens.ToTimeSpan();
        var index = offset < TimeSpan.Zero ? -1 : (int)(offset.Ticks / Interval.Ticks);
        if (index < 0 || index >= IntervalsPerDay)
        {
            return false;
        }
        if (!_days.TryGetValue(day, out var values))
        {
            _days[day] = values = new double[IntervalsPerDay];
        }
        values[index] += calls;
        return true;
    }

    /// <summary>The days before <paramref name="day"/>, newest first.</summary>
    public IEnumerable<DateOnly> Before(DateOnly day) => _days.Keys.Where(d => d < day).Reverse();

    /// <summary>The same series in intervals <paramref name="factor"/> times longer (e.g. 5 → 30 minutes).</summary>
    public DailySeries Coarsen(int factor)
    {
        // A day that does not divide evenly keeps a shorter last interval (07:00–21:05 in 5 minutes → 30 minutes).
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var coarse = new DailySeries(Opens, Interval * factor, (IntervalsPerDay + factor - 1) / factor);
        foreach (var (day, values) in _days)
        {
            var target = coarse._days[day] = new double[coarse.IntervalsPerDay];
            for (var i = 0; i < values.Length; i++)
            {
                target[i / factor] += values[i];
            }
        }
        return coarse;
    }
}
