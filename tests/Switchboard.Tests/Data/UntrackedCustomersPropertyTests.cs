using System.Text.Json;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Audit;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;
using Switchboard.Core.Sync;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Data;

/// <summary>
/// The sync's write path without EF's change tracker (<see cref="UntrackedCustomers"/>, ADR 0019) against EF's own save
/// as the oracle: the same change to the same customer, made in two stores of one provider, one saved by EF (with its
/// audit, outbox and pop-cache interceptors) and one written untracked, leaves the same rows, the same audit entries
/// and the same outbox messages and deliveries. A stale read is refused like EF refuses it, and writes nothing.
/// </summary>
public sealed class UntrackedCustomersPropertyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AuditActor Actor = new("sync:crm", "integration", AuditChannel.Sync);

    private static readonly Gen<string?> Names = Gen.OneOf<string?>("张伟", "Zhang Wei", "ＡＢＣ 公司", "O'Brien", "x", null);
    private static readonly Gen<string?> Tiers = Gen.OneOf<string?>("Standard", "Silver", "Gold", "Vip", null);
    private static readonly Gen<List<string>?> Tags = Gen.OneOf<List<string>?>(["vip"], ["投诉", "vip"], [], null);
    private static readonly Gen<string?> Regions = Gen.OneOf<string?>("CN-31", "CN-44", null);
    private static readonly Gen<string?> Mobiles = Gen.OneOf<string?>("+8613800138000", "+8613912345678", null);
    private static readonly Gen<string?> Offices = Gen.OneOf<string?>("+862155550100", null);
    private static readonly Gen<string?> Emails = Gen.OneOf<string?>("a@example.com", "b@example.cn", null);

    /// <summary>Values as a sync applies them: a field absent is untouched, null clears it (names and choices are never cleared).</summary>
    private static readonly Gen<Dictionary<string, object?>> Values =
        Gen.Select(Gen.Select(Names, Tiers, Tags, Regions), Gen.Select(Mobiles, Offices, Emails), Gen.Int[0, 127])
            .Select((a, b, present) =>
            {
                var all = new (string Field, object? Value)[]
                {
                    ("displayName", a.Item1), ("tier", a.Item2), ("tags", a.Item3), ("region", a.Item4), ("mobile", b.Item1), ("office", b.Item2), ("email", b.Item3),
                };
                return all.Where((f, i) => (present & (1 << i)) != 0 && (f.Value is not null || f.Field is not ("displayName" or "tier")))
                    .ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
            });

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AnyChange_WrittenUntracked_LeavesWhatEfsSaveLeaves(StorageProvider provider)
    {
        var (storeA, appA, clientA) = await SwitchboardApplication.StartAsync(provider);
        var (storeB, appB, clientB) = await SwitchboardApplication.StartAsync(provider);
        await using var _a = storeA;
        await using var _b = storeB;
        using var _appA = appA;
        using var _appB = appB;
        foreach (var client in new[] { clientA, clientB })
        {
            // A subscriber, so that the messages' routing (deliveries) is compared too; nothing listens there.
            (await client.PostJsonAsync("/api/v1/webhooks", new WebhookInput("crm", "http://127.0.0.1:9/", ["customer.*", "contact_point.*"], null, 3))).EnsureSuccessStatusCode();
        }
        var sample = 0;
        await Gen.Select(Values, Values).SampleAsync(async (initial, change) =>
        {
            sample++;
            var id = new Guid(sample, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8);
            var at = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc).AddMinutes(sample);
            foreach (var app in new[] { appA, appB })
            {
                await CreateAsync(app, id, initial, at, Ids(sample, 1));
            }
            await ChangeThroughEfAsync(appA, id, change, at.AddSeconds(30), Ids(sample, 2));
            await ChangeUntrackedAsync(appB, id, change, at.AddSeconds(30), Ids(sample, 2));
            var (expected, actual) = (await StateAsync(appA, id), await StateAsync(appB, id));
            Assert.Equal(expected.Rows, actual.Rows);
            Assert.Equal(expected.Audit, actual.Audit);
            Assert.Equal(expected.Messages, actual.Messages);
        }, iter: 60, threads: 1);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AStaleRead_IsAConcurrencyFailure_AndWritesNothing(StorageProvider provider)
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var _store = store;
        using var _app = app;
        var id = Guid.CreateVersion7();
        var at = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        await CreateAsync(app, id, new() { ["displayName"] = "张伟", ["mobile"] = "+8613800138000" }, at, Ids(1, 1));
        var before = await StateAsync(app, id);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var customer = await db.Customers.AsNoTracking().Include(c => c.ContactPoints).SingleAsync(c => c.Id == id, Ct);
        var untracked = new UntrackedCustomers(db);
        untracked.Read(customer);
        // Someone else changes the customer after it was read.
        await ChangeThroughEfAsync(app, id, new() { ["region"] = "CN-44" }, at.AddSeconds(10), Ids(1, 2));
        var changed = await StateAsync(app, id);
        SyncApply.Apply(customer, new Dictionary<string, object?> { ["displayName"] = "李娜", ["email"] = "a@example.com" }, at.AddSeconds(20), Ids(1, 3));
        (customer.UpdatedAt, customer.Version) = (at.AddSeconds(20), customer.Version + 1);

        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() =>
                untracked.WriteAsync(transaction.GetDbTransaction(), Actor, true, scope.ServiceProvider.GetRequiredService<DestinationDirectory>(), at, Ct));
        }
        Assert.NotEqual(before.Rows, changed.Rows);
        Assert.Equal(changed, await StateAsync(app, id));
    }

    /// <summary>Deterministic ids for new contact points: the same in both stores.</summary>
    private static Func<Guid> Ids(int sample, short step)
    {
        var next = 0;
        return () => new Guid(sample, step, (short)++next, 9, 9, 9, 9, 9, 9, 9, 9);
    }

    private static async Task CreateAsync(SwitchboardApplication app, Guid id, Dictionary<string, object?> values, DateTime at, Func<Guid> ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        using var acting = AuditContext.Begin(Actor);
        var customer = new Customer { Id = id, DisplayName = "new", NameKey = "new", CreatedAt = at, UpdatedAt = at };
        SyncApply.Apply(customer, values, at, ids);
        db.Customers.Add(customer);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The oracle: the customer read tracked and saved by EF, its interceptors writing the audit trail and the outbox.</summary>
    private static async Task ChangeThroughEfAsync(SwitchboardApplication app, Guid id, Dictionary<string, object?> values, DateTime at, Func<Guid> ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        using var acting = AuditContext.Begin(Actor);
        var customer = await db.Customers.Include(c => c.ContactPoints).SingleAsync(c => c.Id == id, Ct);
        if (SyncApply.Apply(customer, values, at, ids) > 0)
        {
            (customer.UpdatedAt, customer.Version) = (at, customer.Version + 1);
        }
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>What a sync's page does: read untracked, change, write in a transaction holding the audit chain.</summary>
    private static async Task ChangeUntrackedAsync(SwitchboardApplication app, Guid id, Dictionary<string, object?> values, DateTime at, Func<Guid> ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var customer = await db.Customers.AsNoTracking().Include(c => c.ContactPoints).SingleAsync(c => c.Id == id, Ct);
        var untracked = new UntrackedCustomers(db);
        untracked.Read(customer);
        if (SyncApply.Apply(customer, values, at, ids) > 0)
        {
            (customer.UpdatedAt, customer.Version) = (at, customer.Version + 1);
        }
        await using var chain = await audit.HoldChainAsync(db, Ct);
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var writes = await untracked.WriteAsync(transaction.GetDbTransaction(), Actor, audit.Enabled, scope.ServiceProvider.GetRequiredService<DestinationDirectory>(), at, Ct);
        await chain.AppendAsync(transaction.GetDbTransaction(), writes.Audit, Ct);
        await transaction.CommitAsync(Ct);
        await chain.CommittedAsync(Ct);
    }

    private sealed record Stored(string Rows, string Audit, string Messages);

    private static Task<Stored> StateAsync(SwitchboardApplication app, Guid id) => app.WithDbAsync(async db =>
    {
        var customer = await db.Customers.AsNoTracking().Include(c => c.ContactPoints.OrderBy(p => p.Id)).SingleAsync(c => c.Id == id, Ct);
        var audit = (await db.AuditLog.AsNoTracking().Where(e => e.CustomerId == id).ToListAsync(Ct))
            .Select(e => $"{e.Action} {e.RecordType} {e.RecordId} {e.Actor} {e.Role} {e.Channel} {e.Detail}").Order(StringComparer.Ordinal);
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.CustomerId == id).OrderBy(m => m.Id).ToListAsync(Ct);
        var messageIds = messages.Select(m => m.Id).ToList();
        var deliveries = (await db.OutboxDeliveries.AsNoTracking().Where(d => EF.Parameter(messageIds).Contains(d.MessageId)).ToListAsync(Ct)).ToLookup(d => d.MessageId);
        // Not the time a message was made: EF's interceptor reads the clock at the save, a page's writer is given the page's time.
        var described = messages.Select(m => $"{m.Type} {m.RecordType} {m.RecordId} {m.OrderKey} {m.Actor} {m.RoutedAt is not null} "
            + $"{deliveries[m.Id].Count()} {m.Payload}").Order(StringComparer.Ordinal);
        return new Stored(JsonSerializer.Serialize(customer, SwitchboardApplication.Json), string.Join('\n', audit), string.Join('\n', described));
    });
}
