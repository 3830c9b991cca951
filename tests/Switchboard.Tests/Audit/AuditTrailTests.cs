using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Audit;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Audit;

public sealed class AuditTrailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task EveryChangeThroughTheApi_IsChainedWithBeforeAndAfter_AndTamperingIsNamed(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var created = new HttpRequestMessage(HttpMethod.Post, "/api/v1/customers")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new CustomerInput { DisplayName = "王芳", ContactPoints = [new() { Value = "13500135000" }] }),
        };
        created.Headers.Add("X-Call-Id", "twilio/CA1");
        var customer = await (await client.SendAsync(created, Ct)).ReadAsync<CustomerView>();
        Assert.Equal(HttpStatusCode.OK, (await client.PutJsonAsync($"/api/v1/customers/{customer.Id}",
            new CustomerInput { DisplayName = "王芳 (VIP)", Tier = ValueTier.Vip, Version = customer.Version })).StatusCode);
        // A refused write changes nothing, and leaves nothing in the trail.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PutJsonAsync($"/api/v1/customers/{customer.Id}",
            new CustomerInput { DisplayName = "lost", Version = customer.Version })).StatusCode);

        // Durable before the response: the entries are there as soon as the requests have returned.
        var page = await (await client.GetAsync($"/api/v1/audit?customer={customer.Id}", Ct)).ReadAsync<AuditPage>();
        Assert.Equal(
            [(AuditAction.Create, "contact_point", "twilio/CA1"), (AuditAction.Create, "customer", "twilio/CA1"), (AuditAction.Update, "customer", null)],
            page.Entries.Select(e => (e.Action, e.RecordType, e.CallId)).Order());
        Assert.All(page.Entries, e => Assert.Equal(("bootstrap", "Admin", AuditChannel.Rest), (e.Actor, e.Role, e.Channel))); // the tests' admin key
        var update = page.Entries.Single(e => e.Action == AuditAction.Update);
        using (var detail = JsonDocument.Parse(update.Detail))
        {
            var changes = detail.RootElement.GetProperty("changes");
            Assert.Equal(("王芳", "王芳 (VIP)"), (changes.GetProperty("DisplayName").GetProperty("before").GetString(), changes.GetProperty("DisplayName").GetProperty("after").GetString()));
            Assert.False(changes.TryGetProperty("Region", out var _), "Only the fields that changed are recorded.");
        }
        Assert.Equal(3, (await (await client.GetAsync("/api/v1/audit?call=twilio%2FCA1&limit=1", Ct)).ReadAsync<AuditPage>()) is { Entries.Count: 1, Next: { } next }
            ? 2 + (await (await client.GetAsync($"/api/v1/audit?call=twilio%2FCA1&after={next}", Ct)).ReadAsync<AuditPage>()).Entries.Count : 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/audit?limit=5000", Ct)).StatusCode);
        Assert.Contains("action", (await Problem.ReadAsync(await client.GetAsync("/api/v1/audit?action=erase", Ct), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/audit/export?action=7", Ct)).StatusCode);
        Assert.Equal(2, (await (await client.GetAsync($"/api/v1/audit?customer={customer.Id}&action=Create", Ct)).ReadAsync<AuditPage>()).Entries.Count);

        var bytes = await client.GetByteArrayAsync($"/api/v1/audit/export?customer={customer.Id}", Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // a byte-order mark, so spreadsheets read the Chinese right
        var csv = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("sequence,at,actor", csv, StringComparison.Ordinal);
        Assert.Equal(4, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.True((await (await client.GetAsync("/api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>()).Intact);
        // Someone with the database but not the key changes an entry: the chain names it.
        var victim = update.Sequence;
        await app.WithDbAsync(db => db.AuditLog.Where(e => e.Sequence == victim)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Detail, x => x.Detail.Replace("VIP", "STD")), Ct));
        var broken = await (await client.GetAsync("/api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();
        Assert.Equal(victim, broken.FirstBad);
    }

    [Fact]
    public async Task DeletingACustomer_PutsEveryRecordItOwnedInTheTrail_WithItsValues()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var company = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "示例公司", Kind = CustomerKind.Company })).ReadAsync<CustomerView>();
        var contact = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "赵敏", CompanyId = company.Id })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{company.Id}/orders", new OrderInput { Number = "SO-DEL", Amount = 5m, Currency = "CNY", ExternalIds = [new("erp", "E-1")] });
        var ticket = await (await client.PostJsonAsync($"/api/v1/customers/{company.Id}/tickets", new TicketInput { Subject = "发票" })).ReadAsync<TicketView>();
        await client.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/updates", new TicketUpdateInput("care-1", "已寄出", false));
        var before = await app.WithDbAsync(db => db.AuditLog.MaxAsync(e => e.Sequence, Ct));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/customers/{company.Id}", Ct)).StatusCode);

        var trail = await app.WithDbAsync(db => db.AuditLog.Where(e => e.Sequence > before).ToListAsync(Ct));
        Assert.Equal(["customer", "external_id", "order", "ticket", "ticket_update"],
            trail.Where(e => e.Action == AuditAction.Delete).Select(e => e.RecordType).Order());
        Assert.Contains("SO-DEL", trail.Single(e => e.RecordType == "order").Detail, StringComparison.Ordinal); // the values it had
        var unlinked = trail.Single(e => e.Action == AuditAction.Update);
        Assert.Equal(("customer", contact.Id.ToString("D")), (unlinked.RecordType, unlinked.RecordId)); // the contact lost its company
        Assert.Null(await app.WithDbAsync(db => db.Customers.Where(c => c.Id == contact.Id).Select(c => c.CompanyId).SingleAsync(Ct)));
    }

    [Fact]
    public async Task ASaveThatFails_OrATransactionNeverCommitted_LeavesNothingInTheTrail()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳" })).ReadAsync<CustomerView>();

        // Two writers read version 1; the first commits, the second's save fails on the version check.
        await using var first = app.Services.CreateAsyncScope();
        await using var second = app.Services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<Switchboard.Core.Persistence.SwitchboardDbContext>();
        var b = second.ServiceProvider.GetRequiredService<Switchboard.Core.Persistence.SwitchboardDbContext>();
        var mine = await a.Customers.SingleAsync(c => c.Id == customer.Id, Ct);
        var theirs = await b.Customers.SingleAsync(c => c.Id == customer.Id, Ct);
        mine.DisplayName = "first";
        mine.Version++;
        await a.SaveChangesAsync(Ct);
        theirs.DisplayName = "second";
        theirs.Version++;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync(Ct));

        // A transaction dropped without a commit: its save is not in the trail, and it does not leak into the next save.
        await using (var transaction = await b.Database.BeginTransactionAsync(Ct))
        {
            b.ChangeTracker.Clear();
            var again = await b.Customers.SingleAsync(c => c.Id == customer.Id, Ct);
            again.DisplayName = "never committed";
            again.Version++;
            await b.SaveChangesAsync(Ct);
        }
        b.ChangeTracker.Clear();
        b.Customers.Add(new Customer { Id = Switchboard.Core.Common.Ids.New(TimeProvider.System), DisplayName = "李雷" });
        await b.SaveChangesAsync(Ct);

        var names = await app.WithDbAsync(db => db.AuditLog.Where(e => e.Action == AuditAction.Update).Select(e => e.Detail).ToListAsync(Ct));
        Assert.Contains(names, d => d.Contains("\"after\":\"first\"", StringComparison.Ordinal));
        Assert.DoesNotContain(names, d => d.Contains("second", StringComparison.Ordinal) || d.Contains("never committed", StringComparison.Ordinal));
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditLog.CountAsync(e => e.Action == AuditAction.Create && e.Detail.Contains("李雷"), Ct)));
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AHeldChain_CommitsItsEntriesWithTheTransaction_ARollbackLeavesNone_AndOtherAppendsWait(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var audit = app.Services.GetRequiredService<AuditLog>();
        static AuditRecord Record(string id) => new("importer", "Admin", AuditChannel.Cli, AuditAction.Create, "customer", id, null, null, "{}");
        await audit.AppendAsync(Record("before"), Ct);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Switchboard.Core.Persistence.SwitchboardDbContext>();
        // Rolled back: the entries go with the transaction, and the next append chains after the last committed one.
        await using (var hold = await audit.HoldChainAsync(db, Ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await hold.AppendAsync(transaction.GetDbTransaction(), [Record("rolled-back-1"), Record("rolled-back-2")], Ct);
        }
        await audit.AppendAsync(Record("after-rollback"), Ct);

        // Committed: an append made meanwhile waits for the hold, then chains after the held entries.
        Task waiting;
        await using (var hold = await audit.HoldChainAsync(db, Ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            using (ExecutionContext.SuppressFlow())
            {
                waiting = Task.Run(() => audit.AppendAsync(Record("waited"), Ct), Ct); // another flow: a request, a pop
            }
            // An audited change saved through EF in the held transaction has its entry appended with the hold's, first.
            db.Customers.Add(new Customer { Id = Switchboard.Core.Common.Ids.New(TimeProvider.System), DisplayName = "李雷" });
            await db.SaveChangesAsync(Ct);
            await hold.AppendAsync(transaction.GetDbTransaction(), [Record("held-1"), Record("held-2")], Ct);
            // One saved after the append could never get its entry: refused at once, before it is written.
            db.Customers.Add(new Customer { Id = Switchboard.Core.Common.Ids.New(TimeProvider.System), DisplayName = "韩梅梅" });
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
            db.ChangeTracker.Clear();
            Assert.False(waiting.IsCompleted);
            await transaction.CommitAsync(Ct);
            await hold.CommittedAsync(Ct);
        }
        await waiting;

        // Another writer on the same store (a command beside the server, another node) appends: this log's tail is stale.
        // The held append collides and says so (the importer writes its batch again); the next hold reads the tail again.
        await using (var other = ActivatorUtilities.CreateInstance<AuditLog>(app.Services))
        {
            await other.AppendAsync(Record("other-writer"), Ct);
        }
        await using (var hold = await audit.HoldChainAsync(db, Ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var collision = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => hold.AppendAsync(transaction.GetDbTransaction(), [Record("stale")], Ct));
            Assert.True(AuditLog.IsChainCollision(collision), collision.Message);
        }
        await using (var hold = await audit.HoldChainAsync(db, Ct))
        {
            // The holding flow cannot append around its hold: it would wait for itself.
            await Assert.ThrowsAsync<InvalidOperationException>(() => audit.AppendAsync(Record("around-the-hold"), Ct));
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await hold.AppendAsync(transaction.GetDbTransaction(), [Record("after-other")], Ct);
            await transaction.CommitAsync(Ct);
            await hold.CommittedAsync(Ct);
        }
        await audit.AppendAsync(Record("last"), Ct); // and once released, it can

        var entries = await app.WithDbAsync(db => db.AuditLog.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.RecordId, e.Detail }).ToListAsync(Ct));
        string[] named = ["before", "after-rollback", "held-1", "held-2", "waited", "other-writer", "stale", "around-the-hold", "after-other", "last"];
        var mine = entries.Where(e => named.Contains(e.RecordId) || e.RecordId.StartsWith("rolled", StringComparison.Ordinal)
            || e.Detail.Contains("李雷", StringComparison.Ordinal) || e.Detail.Contains("韩梅梅", StringComparison.Ordinal)).ToList();
        Assert.Equal(["before", "after-rollback", "(李雷)", "held-1", "held-2", "waited", "other-writer", "after-other", "last"],
            mine.Select(e => e.Detail.Contains("李雷", StringComparison.Ordinal) ? "(李雷)" : e.RecordId));
        Assert.Equal(1, await app.WithDbAsync(db => db.Customers.CountAsync(c => c.DisplayName == "李雷", Ct)));
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence)); // no gap where the rollback was
        Assert.True((await (await client.GetAsync("/api/v1/audit/verify", Ct)).ReadAsync<AuditVerification>()).Intact);
    }
}
