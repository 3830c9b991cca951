using System.Net;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Customers;
using Switchboard.Core.Dedup;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

/// <summary>De-duplication through the real pipeline: a scan merges the sure pair and queues the doubtful one; a person merges it; both merges are audited and undone exactly.</summary>
public sealed class DedupApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CustomerInput Person(string name, string? mobile, string? email = null, string? region = "北京") => new()
    {
        DisplayName = name, Region = region,
        ContactPoints = [.. new[] { mobile is null ? null : new ContactPointInput { Kind = ContactKind.Mobile, Value = mobile, IsPrimary = true }, email is null ? null : new ContactPointInput { Kind = ContactKind.Email, Value = email, IsPrimary = true } }
            .Where(p => p is not null).Select(p => p!)],
    };

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AScan_MergesTheSurePair_QueuesTheDoubtfulOne_AndEveryMergeIsAuditedAndUndoneExactly(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        async Task<CustomerView> Make(CustomerInput input) => await (await client.PostJsonAsync("/api/v1/customers", input)).ReadAsync<CustomerView>();
        var wang = await Make(Person("王伟", "13800138000", "wang.wei@example.com"));
        var wangAgain = await Make(Person(" 王 偉 ", "+86 138-0013-8000"));          // the same man, from another source
        var li = await Make(Person("李娜", null, "li.na@example.com"));
        var liAgain = await Make(Person("李 娜", null, null, region: null));       // the same name only: a person decides
        for (var i = 0; i < 30; i++)
        {
            await Make(Person($"客户{i}", $"1390000{i:0000}"));
        }
        var order = await (await client.PostJsonAsync($"/api/v1/customers/{wangAgain.Id}/orders", new OrderInput { Number = "SO-1", Amount = 99m, Currency = "CNY" })).ReadAsync<OrderView>();

        var agent = await app.ClientAsync("agent-1", Switchboard.Core.Security.Role.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJsonAsync("/api/v1/dedup/scans", new { autoMerge = true })).StatusCode);

        var scan = await (await client.PostJsonAsync("/api/v1/dedup/scans", new { autoMerge = true })).ReadAsync<ScanSummary>();
        Assert.Equal(1, scan.Merged);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/customers/{wangAgain.Id}", Ct)).StatusCode);
        var survivor = await (await client.GetAsync($"/api/v1/customers/{wang.Id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal(2, survivor.ContactPoints.Count(p => p.Kind == ContactKind.Mobile)); // both written forms are kept; one is primary
        Assert.Single(survivor.ContactPoints, p => p.Kind == ContactKind.Mobile && p.IsPrimary);
        Assert.Equal(wang.Id, (await (await client.GetAsync($"/api/v1/orders/{order.Id}", Ct)).ReadAsync<OrderView>()).CustomerId);
        var review = await (await client.GetAsync("/api/v1/dedup/candidates?status=open", Ct)).ReadAsync<List<CandidateView>>();
        var doubtful = Assert.Single(review);
        Assert.Equal(new[] { li.Id, liAgain.Id }.Order(), new[] { doubtful.FirstId, doubtful.SecondId }.Order());
        Assert.True(doubtful.Weights["name"] > 0);
        Assert.Equal(0, (await (await client.PostJsonAsync("/api/v1/dedup/scans", new { autoMerge = true })).ReadAsync<ScanSummary>()).ForReview); // not found twice

        // A person merges the doubtful pair; a second decision is refused.
        var decided = await (await client.PostJsonAsync($"/api/v1/dedup/candidates/{doubtful.Id}/decision", new { merge = true, survivor = li.Id })).ReadAsync<CandidateView>();
        Assert.Equal(CandidateStatus.Merged, decided.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync($"/api/v1/dedup/candidates/{doubtful.Id}/decision", new { merge = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/customers/{liAgain.Id}", Ct)).StatusCode);

        // Both merges are in the trail, record by record, and both undo exactly.
        await Eventually.TrueAsync(() => app.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.RecordType == "order" && e.RecordId == order.Id.ToString("D")
            && e.Action == AuditAction.Update && e.Detail!.Contains(wang.Id.ToString("D")), Ct)), "the order's move is not in the trail");
        var merges = await (await client.GetAsync("/api/v1/dedup/merges", Ct)).ReadAsync<List<MergeView>>();
        Assert.Equal(2, merges.Count);
        foreach (var merge in merges)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/dedup/merges/{merge.Id}/undo", null, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/dedup/merges/{merges[0].Id}/undo", null, Ct)).StatusCode);
        var back = await (await client.GetAsync($"/api/v1/customers/{wangAgain.Id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal((wangAgain.DisplayName, "+8613800138000"), (back.DisplayName, back.ContactPoints.Single().E164));
        Assert.True(back.ContactPoints.Single().IsPrimary);
        Assert.Equal(wangAgain.Id, (await (await client.GetAsync($"/api/v1/orders/{order.Id}", Ct)).ReadAsync<OrderView>()).CustomerId);
        var wangNow = await (await client.GetAsync($"/api/v1/customers/{wang.Id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal(wang.ContactPoints.Select(p => p.Id).Order(), wangNow.ContactPoints.Select(p => p.Id).Order());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/customers/{liAgain.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/dedup/merges/00000000-0000-0000-0000-000000000001/undo", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/dedup/candidates?limit=0", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/dedup/candidates?status=7", Ct)).StatusCode);
    }
}

/// <summary>The seed tool's set with known duplicates, scanned through the API and measured against its truth file.</summary>
public sealed class DedupSeededSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASeededSetWithKnownDuplicates_IsScannedThroughTheApi_WithTheEnginesPrecision()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        var directory = Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.ConnectionString).DataSource)!;
        var truthFile = Path.Combine(directory, "truth.csv");
        var (code, output, error) = await CliRun.RunAsync("seed", "--customers", "1500", "--duplicates", "0.2", "--seed", "3", "--truth", truthFile, "--data-dir", directory);
        Assert.True(code == 0, error);
        Assert.Contains("true duplicate pairs", output, StringComparison.Ordinal);
        var cluster = (await File.ReadAllLinesAsync(truthFile, Ct)).Select(l => l.Split(',')).ToDictionary(p => Guid.Parse(p[0]), p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

        using var app = new SwitchboardApplication(store);
        var client = app.CreateClient();
        Assert.Equal(cluster.Count, await app.WithDbAsync(db => db.Customers.CountAsync(Ct)));
        var scan = await (await client.PostJsonAsync("/api/v1/dedup/scans", new { autoMerge = false })).ReadAsync<ScanSummary>();
        Assert.Equal(cluster.Count, scan.Customers);
        var sure = await (await client.GetAsync("/api/v1/dedup/candidates?status=open&limit=1000", Ct)).ReadAsync<List<CandidateView>>();
        var merges = sure.Where(c => c.Decision == DedupDecision.Merge).ToList();
        Assert.NotEmpty(merges);
        var right = merges.Count(c => cluster[c.FirstId] == cluster[c.SecondId]);
        Assert.True(right >= merges.Count * 0.98, $"{right} of {merges.Count} sure pairs are true duplicates");
    }
}
