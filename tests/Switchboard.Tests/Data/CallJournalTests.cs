using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Core.Calls;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Data;

public sealed class CallJournalTests
{
    private static readonly DateTime T0 = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ConcurrentAppends_AreCommittedTogether_AndDuplicatesStoredOnce(StorageProvider provider)
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var _store = store;
        using var _app = app;
        var journal = app.Services.GetRequiredService<CallJournal>();
        var batchesBefore = journal.Batches;

        var events = Enumerable.Range(0, 300).Select(i => Event($"call-{i % 40}", $"e{i}", CallEventKind.Ringing, i)).ToList();
        var duplicates = events.Take(50);
        await Task.WhenAll(events.Concat(duplicates).Select(e => journal.AppendAsync(e, Ct)));

        Assert.Equal(300, await app.WithDbAsync(db => db.CallJournal.CountAsync(Ct)));
        var batches = journal.Batches - batchesBefore;
        Assert.True(batches < 350, $"350 appends took {batches} transactions: no group commit");
        var stored = await app.WithDbAsync(db => db.CallJournal.AsNoTracking().SingleAsync(e => e.EventKey == "e7", Ct));
        Assert.Equal(Event("call-7", "e7", CallEventKind.Ringing, 7), stored.ToEvent());
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AcceptedEvents_AreDurableBeforeTheAnswer_AndACallIsRebuiltFromTheJournal(StorageProvider provider)
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var _store = store;
        using var _app = app;
        var registry = app.Services.GetRequiredService<CallRegistry>();
        var lifecycle = new[]
        {
            Event("c1", "answer", CallEventKind.Answered, 9, agent: "agent-7"),
            Event("c1", "offer", CallEventKind.Offered, 0) with { From = "+8613800138000", Direction = CallDirection.Inbound },
            Event("c1", "ring", CallEventKind.Ringing, 5, agent: "agent-7"),
            Event("c1", "end", CallEventKind.Ended, 60) with { Cause = EndCause.Normal },
        };

        foreach (var e in lifecycle)
        {
            var accepted = await registry.AcceptAsync(e, Ct);
            Assert.Equal(ApplyOutcome.Applied, accepted.Value.Outcome);
            Assert.True(await app.WithDbAsync(db => db.CallJournal.AnyAsync(j => j.EventKey == e.EventKey, Ct)), "acknowledged before it was stored");
        }
        Assert.Equal(ApplyOutcome.Duplicate, (await registry.AcceptAsync(lifecycle[2], Ct)).Value.Outcome);

        var live = registry.Find("pbx", "c1")!;
        Assert.Equal((CallPhase.Ended, CallOutcome.Answered, "agent-7"), (live.Phase, live.Outcome, live.Agent));

        // A restarted process: a fresh registry rebuilt from the journal holds the same call.
        var restarted = new CallRegistry(new CallJournal(app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<CallJournal>.Instance), TimeProvider.System);
        var rebuilt = await app.WithDbAsync(db => restarted.RebuildAsync(db, T0.AddDays(-1000), Ct));
        Assert.Equal(1, rebuilt);
        Assert.Equal(live, restarted.Find("pbx", "c1"));
    }

    [Fact]
    public async Task AnInvalidEvent_IsRefusedBeforeTheJournal_AndGoodEventsAroundItCommit()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var registry = app.Services.GetRequiredService<CallRegistry>();

        var bad = Event("c2", new string('k', 500), CallEventKind.Ringing, 1) with { At = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local) };
        var results = await Task.WhenAll(
            registry.AcceptAsync(Event("c2", "a", CallEventKind.Offered, 0), Ct),
            registry.AcceptAsync(bad, Ct),
            registry.AcceptAsync(Event("c2", "b", CallEventKind.Ringing, 2, agent: "agent-1"), Ct));

        Assert.True(results[0].IsSuccess && results[2].IsSuccess);
        Assert.Equal(["at", "eventId"], results[1].Error!.Fields!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, await app.WithDbAsync(db => db.CallJournal.CountAsync(Ct)));
    }

    [Fact]
    public async Task EndedCalls_LeaveMemoryAfterTheGracePeriod_LiveOnesStay()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var registry = new CallRegistry(app.Services.GetRequiredService<CallJournal>(), clock);

        await registry.AcceptAsync(Event("done", "1", CallEventKind.Offered, 0), Ct);
        await registry.AcceptAsync(Event("done", "2", CallEventKind.Ended, 30), Ct);
        await registry.AcceptAsync(Event("live", "1", CallEventKind.Ringing, 0, agent: "a"), Ct);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, registry.EvictEnded(TimeSpan.FromMinutes(10)));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, registry.EvictEnded(TimeSpan.FromMinutes(10)));

        Assert.Null(registry.Find("pbx", "done"));
        Assert.Equal(CallPhase.Ringing, registry.Find("pbx", "live")!.Phase);
        Assert.Equal(1, registry.Count);
        // The journal still holds the forgotten call.
        Assert.Equal(2, await app.WithDbAsync(db => db.CallJournal.CountAsync(e => e.SourceCallId == "done", Ct)));
    }

    private static CallEvent Event(string callId, string key, CallEventKind kind, int second, string? agent = null) =>
        new("pbx", callId, key, kind, T0.AddSeconds(second), AgentId: agent);
}
