using Switchboard.Core.Calls;
using Switchboard.Core.Common;

namespace Switchboard.Core.Demo;

/// <summary>
/// Ten weeks of past calls for the demo's call journal, so that forecasts and the planning page have history on the
/// first start: Poisson arrivals per half hour, 08:00–20:00 in the center's time zone, seven days a week, with a
/// morning and an afternoon peak, busier Mondays, quiet Sundays and slow growth; 70% to the general queue, 20% sales,
/// 10% vip. Deterministic for a seed. Each call is two journal events (offered, ended).
/// </summary>
internal static class DemoCallHistory
{
    private static readonly (string Queue, double Share)[] Queues = [("general", 0.7), ("sales", 0.2), ("vip", 0.1)];
    private static readonly Dictionary<DayOfWeek, double> Weekday = new()
    {
        [DayOfWeek.Monday] = 1.25, [DayOfWeek.Tuesday] = 1.1, [DayOfWeek.Wednesday] = 1.0, [DayOfWeek.Thursday] = 1.0,
        [DayOfWeek.Friday] = 1.05, [DayOfWeek.Saturday] = 0.6, [DayOfWeek.Sunday] = 0.5,
    };

    public static List<CallJournalEntry> Generate(DateOnly lastDay, int callsPerDay, TimeZoneInfo zone, int seed)
    {
        var random = new Random(seed);
        var profile = Enumerable.Range(0, 24).Select(slot =>
        {
            var hour = 8 + slot / 2.0 + 0.25;
            return 0.4 + Math.Exp(-Math.Pow((hour - 10) / 1.5, 2)) + 0.8 * Math.Exp(-Math.Pow((hour - 15) / 1.8, 2));
        }).ToArray();
        var total = profile.Sum();
        var entries = new List<CallJournalEntry>();
        var n = 0;
        for (var day = lastDay.AddDays(-69); day <= lastDay; day = day.AddDays(1))
        {
            var growth = 1 + 0.002 * (day.DayNumber - lastDay.DayNumber);
            for (var slot = 0; slot < profile.Length; slot++)
            {
                var mean = callsPerDay * Weekday[day.DayOfWeek] * growth * profile[slot] / total;
                var calls = Poisson(random, mean);
                for (var c = 0; c < calls; c++)
                {
                    var local = day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(30 * slot + random.NextDouble() * 30);
                    var at = TimeZoneInfo.ConvertTimeToUtc(local, zone);
                    var queue = Pick(random);
                    var id = "h-" + (n++).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var ended = at.AddSeconds(60 + random.Next(420));
                    entries.Add(Event(id, "offered", CallEventKind.Offered, at, queue, random));
                    entries.Add(Event(id, "ended", CallEventKind.Ended, ended, queue, random));
                }
            }
        }
        return entries;
    }

    private static CallJournalEntry Event(string call, string kind, CallEventKind eventKind, DateTime at, string queue, Random random) => new()
    {
        Id = DeterministicIds.At(new DateTimeOffset(at, TimeSpan.Zero), random), Source = "demo-history", SourceCallId = call,
        EventKey = call + "/" + kind, Kind = eventKind, At = at, ReceivedAt = at, Direction = CallDirection.Inbound, Queue = queue,
        Cause = eventKind == CallEventKind.Ended ? EndCause.Normal : null,
    };

    private static string Pick(Random random)
    {
        var x = random.NextDouble();
        foreach (var (queue, share) in Queues)
        {
            if ((x -= share) < 0)
            {
                return queue;
            }
        }
        return Queues[0].Queue;
    }

    /// <summary>Poisson by inversion for small means, a rounded normal for large ones.</summary>
    private static int Poisson(Random random, double mean)
    {
        if (mean > 30)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * normal));
        }
        var (k, p, limit) = (0, 1.0, Math.Exp(-mean));
        while ((p *= random.NextDouble()) > limit)
        {
            k++;
        }
        return k;
    }
}
