using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Calls;
using Switchboard.Core.Persistence;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// Writes call history into the call journal directly (the store is real; only the weeks of calls are synthetic):
/// ten weeks of weekdays from Monday 2026-09-14 in Shanghai, 08:00–20:00. The vip queue gets 2 calls per half hour,
/// 4 on Mondays; general gets 1. Each call has two events, so counting must count calls, not events.
/// </summary>
internal static class JournalHistory
{
    public static async Task SeedAsync(SwitchboardApplication app, CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var first = new DateOnly(2026, 9, 14);
        var entries = new List<CallJournalEntry>();
        var n = 0;
        for (var day = first; day < first.AddDays(70); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            for (var slot = 0; slot < 24; slot++)
            {
                var at = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(30 * slot + 7), zone);
                foreach (var queue in Enumerable.Repeat("vip", day.DayOfWeek == DayOfWeek.Monday ? 4 : 2).Append("general"))
                {
                    var id = $"c{n++}";
                    entries.Add(Entry(id, "1", CallEventKind.Offered, at, queue));
                    entries.Add(Entry(id, "2", CallEventKind.Ended, at.AddMinutes(3), null));
                }
            }
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        db.CallJournal.AddRange(entries);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static CallJournalEntry Entry(string call, string key, CallEventKind kind, DateTime at, string? queue) => new()
    {
        Id = Guid.CreateVersion7(), Source = "pbx", SourceCallId = call, EventKey = call + "/" + key, Kind = kind, At = at, ReceivedAt = at, Queue = queue,
        Direction = CallDirection.Inbound,
    };
}
