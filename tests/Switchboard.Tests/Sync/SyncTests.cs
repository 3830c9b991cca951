using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Sync;
using Switchboard.Data;
using FakeSalesforce = Switchboard.Fakes.FakeSalesforce;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Sync;

/// <summary>
/// Incremental two-way sync through the real server against a local Salesforce-shaped CRM (its published query,
/// upsert and delete shapes; <see cref="FakeSalesforce"/>): first sight, page and time boundaries, late commits, a
/// restart in the middle, tombstones, echo suppression, each conflict rule, quarantine and rate limits.
/// </summary>
public sealed class SyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly Dictionary<string, string?> Quick = new()
    {
        ["Outbox:FirstRetryMilliseconds"] = "20", ["Outbox:MaxRetryMilliseconds"] = "200", ["Outbox:PollMilliseconds"] = "20", ["Outbox:RateLimitPauseSeconds"] = "1",
        ["Outbox:BreakerBreakSeconds"] = "1", ["Sync:LookBackSeconds"] = "1", ["Sync:MaxBackoffSeconds"] = "1",
    };

    /// <summary>The docs' sample with one more field whose conflicts the later change wins.</summary>
    internal static string SalesforceSpec() =>
        File.ReadAllText(Path.Combine(Repository.Root(), "docs", "samples", "salesforce-accounts.yaml"))
        + "  - target: ownerTeam\n    source: Team__c\n    owner: shared\n";

    private sealed class Rig(TestStore store, SwitchboardApplication app, HttpClient client, FakeSalesforce crm, WebApplication crmApp, string crmUrl) : IAsyncDisposable
    {
        public TestStore Store => store;
        public SwitchboardApplication App => app;
        public HttpClient Client => client;
        public FakeSalesforce Crm => crm;
        public string CrmUrl => crmUrl;

        public async Task<SyncConnectionView> ConnectAsync(int pageSize = 200, int poll = 30, int overlap = 120)
        {
            var response = await client.PostJsonAsync("/api/v1/sync/connections", new SyncConnectionInput("sf", SyncVendor.Salesforce, "Account", "salesforce-accounts",
                crmUrl, null, ConnectorAuthScheme.Bearer, crm.Token, null, null, pageSize, poll, overlap, true, true));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return await response.ReadAsync<SyncConnectionView>();
        }

        public async Task<SyncHealthView> HealthAsync() => (await (await client.GetAsync("/api/v1/sync/connections/sf", Ct)).ReadAsync<SyncConnectionView>()).Health;

        public Task<SyncHealthView> UntilAsync(Func<SyncHealthView, bool> done, string what) =>
            Eventually.ValueAsync(HealthAsync, done, () => what, TimeSpan.FromSeconds(30));

        public Task<int> CustomersAsync() => app.WithDbAsync(db => db.Customers.CountAsync(Ct));

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.DisposeAsync();
            await crmApp.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    private static async Task<Rig> StartAsync(StorageProvider provider, FakeSalesforce? crm = null, IDictionary<string, string?>? settings = null)
    {
        crm ??= new FakeSalesforce();
        var (crmApp, crmUrl) = await FakeSalesforce.StartAsync(crm);
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider, settings is null ? Quick : new Dictionary<string, string?>(Quick.Concat(settings)));
        var put = await client.PutAsync("/api/v1/mappings/salesforce-accounts", new StringContent(SalesforceSpec(), Encoding.UTF8, "application/yaml"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return new Rig(store, app, client, crm, crmApp, crmUrl);
    }

    private static Dictionary<string, string?> Account(string name, string? tier = "B", string? phone = null, string? language = null, string? team = null) => new()
    {
        ["Name"] = name, ["Value_Tier__c"] = tier, ["MobilePhone"] = phone, ["Stage__c"] = "Customer", ["Language__c"] = language, ["Team__c"] = team, ["BillingState"] = "广东",
    };

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task RecordsOnAPageBoundary_WithTheSameModstamp_AreNeitherLostNorAppliedTwice_AndTheIdentityMapLearnsThemOnFirstSight(StorageProvider provider)
    {
        var crm = new FakeSalesforce();
        var instant = DateTimeOffset.Parse("2026-11-20T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        crm.Clock = () => instant;
        var keys = Enumerable.Range(0, 450).Select(i => crm.Put(Account($"客户{i:000}", phone: $"1380013{i:0000}"))).ToList(); // all with one modstamp: three pages of 200
        await using var rig = await StartAsync(provider, crm);
        await rig.ConnectAsync(pageSize: 200);

        var health = await rig.UntilAsync(h => h.Applied >= 450 && h.Duplicates >= 450, "the records were not all applied, then all seen again in the overlap");
        Assert.Equal(450, health.Applied); // each once, though every later pass sees all 450 again (they sit on the cursor)
        Assert.Equal(450, await rig.CustomersAsync());
        Assert.Equal(instant.UtcDateTime, health.Cursor);
        var links = await rig.App.WithDbAsync(db => db.ExternalIds.Where(e => e.System == "salesforce").Select(e => e.Key).ToListAsync(Ct));
        Assert.Equal(keys.Order(), links.Order());
        var found = await (await rig.Client.GetAsync($"/api/v1/customers?externalSystem=salesforce&externalId={keys[200]}", Ct)).ReadAsync<Page<CustomerView>>();
        Assert.Equal("客户200", Assert.Single(found.Items).DisplayName);
        var created = await Eventually.ValueAsync(() => rig.App.WithDbAsync(db => db.AuditLog.CountAsync(e => e.Action == AuditAction.Create && e.RecordType == "customer"
            && e.Channel == AuditChannel.Sync && e.Actor == "sync:sf", Ct)), n => n >= 450, () => "the creates are not all in the audit trail", TimeSpan.FromSeconds(30));
        Assert.Equal(450, created);
        Assert.Empty(rig.Crm.Upserted); // what came from the CRM is not pushed back to it
    }

    /// <summary>A CRM holding <paramref name="count"/> accounts, stamped a millisecond apart by its own clock (which goes on so).</summary>
    private static FakeSalesforce CrmWithAccounts(int count)
    {
        var crm = new FakeSalesforce();
        var clock = DateTimeOffset.Parse("2026-11-20T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        crm.Clock = () => clock = clock.AddMilliseconds(1);
        for (var i = 0; i < count; i++)
        {
            crm.Put(Account($"客户{i:0000}"));
        }
        return crm;
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ARestartInTheMiddleOfAPass_ResumesWhereItStopped_AndALateCommitIsFoundByTheOverlap(StorageProvider provider)
    {
        var crm = CrmWithAccounts(1_000);
        var (crmApp, crmUrl) = await FakeSalesforce.StartAsync(crm);
        await using var crmServer = crmApp;
        var store = await TestStore.CreateAsync(provider);
        await using var _ = store;
        var first = new SwitchboardApplication(store, Quick);
        var client = first.CreateClient();
        await client.PutAsync("/api/v1/mappings/salesforce-accounts", new StringContent(SalesforceSpec(), Encoding.UTF8, "application/yaml"), Ct);
        crm.FailAfter(3); // the fourth request of the pass is refused: three pages of 200 are in
        var made = await client.PostJsonAsync("/api/v1/sync/connections", new SyncConnectionInput("sf", SyncVendor.Salesforce, "Account", "salesforce-accounts", crmUrl, null,
            ConnectorAuthScheme.Bearer, crm.Token, null, null, 200, 30, 120, true, false));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var stopped = await Eventually.ValueAsync(async () => (await (await client.GetAsync("/api/v1/sync/connections/sf", Ct)).ReadAsync<SyncConnectionView>()).Health,
            h => h.FailedPasses >= 1, () => "the pass was never cut", TimeSpan.FromSeconds(30));
        Assert.Equal(600, stopped.Applied);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", stopped.LastError, StringComparison.Ordinal);
        await first.DisposeAsync(); // the server stops in the middle of the sync

        crm.FailAfter(null);
        await using var second = new SwitchboardApplication(store, Quick);
        client = second.CreateClient();
        var resumed = await Eventually.ValueAsync(async () => (await (await client.GetAsync("/api/v1/sync/connections/sf", Ct)).ReadAsync<SyncConnectionView>()).Health,
            h => h.Applied >= 1_000, () => "the sync did not resume", TimeSpan.FromSeconds(30));
        Assert.Equal(1_000, resumed.Applied); // none twice
        Assert.Equal(1_000, await second.WithDbAsync(db => db.Customers.CountAsync(Ct)));

        // A transaction in the CRM that committed late: its modstamp is before the cursor, inside the overlap window.
        var late = crm.Put(Account("迟到的客户"), modifiedAt: resumed.Cursor!.Value.AddSeconds(-30));
        await Eventually.ValueAsync(() => second.WithDbAsync(db => db.ExternalIds.AnyAsync(e => e.Key == late, Ct)), found => found, () => "the late commit was lost",
            TimeSpan.FromSeconds(30));
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ALookBack_IsReadAPagePerPass_SoNewChangesAreNotHeldUpByIt_AndFindsTheLateCommitAtItsEnd(StorageProvider provider)
    {
        var crm = CrmWithAccounts(1_000);
        // No puller: the passes are run here, one by one.
        await using var rig = await StartAsync(provider, crm, new Dictionary<string, string?> { ["Sync:Pull"] = "false" });
        var id = (await rig.ConnectAsync(pageSize: 200)).Id;
        async Task<PassSummary> PassAsync(LookBack? lookBack)
        {
            await using var scope = rig.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SyncRunner>().PassAsync(id, lookBack, Ct);
        }
        Assert.Equal(1_000, (await PassAsync(null)).Applied);
        var cursor = (await rig.HealthAsync()).Cursor!.Value;
        // Committed late, a millisecond before the cursor: the last record of the overlap window (1,000 records on 5 pages).
        var late = crm.Put(Account("迟到的客户"), modifiedAt: cursor.AddMilliseconds(-1));
        Assert.Equal(0, (await PassAsync(null)).Applied); // a pass from the cursor does not see it

        var lookBack = new LookBack();
        var passes = 0;
        while (!lookBack.Done)
        {
            var fresh = crm.Put(Account($"新客户{passes}"));
            var pass = await PassAsync(lookBack);
            passes++;
            Assert.True(pass.Pages <= 2, $"pass {passes} read {pass.Pages} pages"); // the page from the cursor, and one of the look-back
            Assert.True(await rig.App.WithDbAsync(db => db.ExternalIds.AnyAsync(e => e.Key == fresh, Ct)), $"the change made before pass {passes} waited for the look-back");
            if (passes == 1)
            {
                Assert.False(await rig.App.WithDbAsync(db => db.ExternalIds.AnyAsync(e => e.Key == late, Ct)), "the whole window was read in one pass");
            }
        }
        Assert.True(await rig.App.WithDbAsync(db => db.ExternalIds.AnyAsync(e => e.Key == late, Ct)), "the late commit was lost");
        Assert.Equal(6, passes); // 1,001 records and more made meanwhile in the window, 200 a page
        Assert.Equal(1_001 + passes, await rig.CustomersAsync());
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task OurOwnWrites_AreRecognisedWhenTheyComeBack_NeitherAppliedOverANewerValueNorEchoed(StorageProvider provider)
    {
        await using var rig = await StartAsync(provider);
        await rig.ConnectAsync(poll: 600_000); // passes only when asked, so the test decides what comes back when
        var customer = await (await rig.Client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王伟", PreferredLanguage = "zh" })).ReadAsync<CustomerView>();
        await Eventually.TrueAsync(() => rig.Crm.Upserted.Count == 1, "the new customer was not pushed");
        var key = await Eventually.ValueAsync(() => rig.App.WithDbAsync(db => db.SyncStates.Where(s => s.CustomerId == customer.Id).Select(s => s.Key).FirstOrDefaultAsync(Ct)),
            k => k is not null, () => "the identity map did not learn the CRM's id", TimeSpan.FromSeconds(30));
        Assert.Equal("王伟", rig.Crm.Get(key!)!["Name"]);
        Assert.Equal(customer.Id.ToString("D"), rig.Crm.Get(key!)!["Switchboard_Id__c"]);

        // We change the name again, and the push of the change cannot get through: the CRM still holds "王伟", our first write.
        rig.Crm.RefuseWrites = true;
        await rig.Client.PutJsonAsync($"/api/v1/customers/{customer.Id}",
            new CustomerInput { DisplayName = "王伟（北京）", Kind = customer.Kind, Tier = customer.Tier, Lifecycle = customer.Lifecycle, PreferredLanguage = "zh", Version = customer.Version });
        await rig.Client.PostAsync("/api/v1/sync/connections/sf/pull", null, Ct);
        var health = await rig.UntilAsync(h => h.Echoes == 1, "our own write was not recognised when it came back");
        Assert.Equal(0, health.Conflicts);
        var afterEcho = await (await rig.Client.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal("王伟（北京）", afterEcho.DisplayName); // the newer value was not overwritten by our own older one

        rig.Crm.RefuseWrites = false; // the push gets through; when it comes back it changes nothing and is not pushed again
        await Eventually.TrueAsync(() => rig.Crm.Get(key!)!["Name"] == "王伟（北京）", "the newer name never reached the CRM");
        await rig.UntilAsync(h => h.PendingPushes == 0, "pushes were left pending");
        // Delivery is at least once: a push may arrive twice (same content, same idempotency key). Wait until it is quiet.
        var pushes = await Eventually.ValueAsync(async () =>
        {
            var before = rig.Crm.Upserted.Count;
            await Task.Delay(500, Ct);
            return (Before: before, After: rig.Crm.Upserted.Count);
        }, c => c.Before == c.After, () => "the pushes never stopped", TimeSpan.FromSeconds(15));
        await rig.Client.PostAsync("/api/v1/sync/connections/sf/pull", null, Ct);
        health = await rig.UntilAsync(h => h.Unchanged >= 1, "the second write did not come back");
        await rig.Client.PostAsync("/api/v1/sync/connections/sf/pull", null, Ct);
        await rig.UntilAsync(h => h.Duplicates > health.Duplicates, "no further pass ran");
        await Task.Delay(500, Ct);
        Assert.Equal(0, (await rig.HealthAsync()).Conflicts);
        Assert.Equal(pushes.After, rig.Crm.Upserted.Count); // no ping-pong: what came back was not pushed again
        Assert.Equal(afterEcho.Version, (await (await rig.Client.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ReadAsync<CustomerView>()).Version);
        Assert.Equal(0, (await rig.HealthAsync()).Conflicts);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AFieldBothSidesChanged_IsResolvedByItsOwner_ThenByTheLaterChange_AndEveryResolutionIsRecorded(StorageProvider provider)
    {
        await using var rig = await StartAsync(provider);
        var key = rig.Crm.Put(Account("李娜", tier: "B", language: "zh", team: "华南"));
        await rig.ConnectAsync();
        await rig.UntilAsync(h => h.Applied == 1, "the account was not pulled");
        var id = await rig.App.WithDbAsync(db => db.ExternalIds.Where(e => e.Key == key).Select(e => e.EntityId).SingleAsync(Ct));
        var customer = await (await rig.Client.GetAsync($"/api/v1/customers/{id}", Ct)).ReadAsync<CustomerView>();

        // Both sides change three fields while the push cannot get through: the name (the CRM owns it), the preferred
        // language (Switchboard owns it) and the team (shared: the later change wins; here the CRM's, made after ours).
        rig.Crm.RefuseWrites = true;
        await rig.Client.PutJsonAsync($"/api/v1/customers/{id}", new CustomerInput
        {
            DisplayName = "李娜（本地）", Kind = customer.Kind, Tier = customer.Tier, Lifecycle = customer.Lifecycle, Tags = customer.Tags, Region = customer.Region,
            PreferredLanguage = "en", OwnerTeam = "华东", Version = customer.Version,
        });
        await Task.Delay(20, Ct);
        rig.Crm.Put(new Dictionary<string, string?> { ["Name"] = "李娜（CRM）", ["Language__c"] = "yue", ["Team__c"] = "华北" }, id: key);
        await rig.Client.PostAsync("/api/v1/sync/connections/sf/pull", null, Ct);
        await rig.UntilAsync(h => h.Conflicts >= 3, "the conflicts were not resolved");
        // The page's merge may be retried (the local save and the pull raced for the customer's version): wait for the
        // merged customer, not only for the conflicts' count.
        await Eventually.TrueAsync(async () => (await (await rig.Client.GetAsync($"/api/v1/customers/{id}", Ct)).ReadAsync<CustomerView>()).DisplayName == "李娜(CRM)",
            "the merge was not committed");
        var conflicts = await (await rig.Client.GetAsync("/api/v1/sync/connections/sf/conflicts", Ct)).ReadAsync<List<SyncConflictView>>();
        Assert.Equal(
            [("displayName", "owner:external", "incoming"), ("ownerTeam", "newest", "incoming"), ("preferredLanguage", "owner:switchboard", "local")],
            conflicts.Select(c => (c.Field, c.Rule, c.Winner)).OrderBy(c => c.Field, StringComparer.Ordinal).ToList());
        Assert.All(conflicts, c => Assert.Equal(key, c.Key));
        var merged = await (await rig.Client.GetAsync($"/api/v1/customers/{id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal(("李娜(CRM)", "en", "华北"), (merged.DisplayName, merged.PreferredLanguage, merged.OwnerTeam)); // cleansed on the way in: half-width brackets

        rig.Crm.RefuseWrites = false; // Switchboard's value of the field it owns goes back to the CRM
        await Eventually.TrueAsync(() => rig.Crm.Get(key)!["Language__c"] == "en", "the field Switchboard owns was not pushed back");
        Assert.Equal("李娜(CRM)", rig.Crm.Get(key)!["Name"]);
        await Eventually.TrueAsync(() => rig.App.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.CustomerId == id && e.Channel == AuditChannel.Sync && e.Action == AuditAction.Update, Ct)),
            "the sync's change is not in the audit trail");
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ADeleteInTheCrm_ArrivesAsATombstone_AndABadRecordIsQuarantined_WithoutStoppingTheSync(StorageProvider provider)
    {
        await using var rig = await StartAsync(provider);
        var gone = rig.Crm.Put(Account("赵敏"));
        var bad = rig.Crm.Put(Account("钱多多", phone: "not a phone"));
        var kept = rig.Crm.Put(Account("孙丽"));
        var hostile = rig.Crm.Put(Account("周强"), id: "001" + new string('x', 150)); // an id longer than the identity map keeps
        await rig.ConnectAsync();
        var health = await rig.UntilAsync(h => h.Applied == 2 && h.Quarantined == 2, "the two good accounts were not applied, or the bad ones not quarantined");
        Assert.Equal(2.0 / 4, health.SuccessRate!.Value, 3);
        Assert.True(await rig.App.WithDbAsync(db => db.Quarantine.AnyAsync(q => q.Mapping == "sync:sf" && q.Key == hostile && q.Reasons.Contains("longer than 128"), Ct)));
        var quarantined = await rig.App.WithDbAsync(db => db.Quarantine.SingleAsync(q => q.Mapping == "sync:sf" && q.Key == bad, Ct));
        Assert.Equal(bad, quarantined.Key);
        Assert.Contains("MobilePhone", quarantined.Reasons, StringComparison.Ordinal);

        var id = await rig.App.WithDbAsync(db => db.ExternalIds.Where(e => e.Key == gone).Select(e => e.EntityId).SingleAsync(Ct));
        rig.Crm.Delete(gone);
        await rig.UntilAsync(h => h.Deleted == 1, "the tombstone was not applied");
        Assert.Equal(HttpStatusCode.NotFound, (await rig.Client.GetAsync($"/api/v1/customers/{id}", Ct)).StatusCode);
        // The trail's entries follow the page's commit (group commit, as for every save).
        await Eventually.TrueAsync(() => rig.App.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.CustomerId == id && e.Action == AuditAction.Delete && e.Actor == "sync:sf", Ct)),
            "the delete is not in the audit trail");
        Assert.True(await rig.App.WithDbAsync(db => db.ExternalIds.AnyAsync(e => e.Key == kept, Ct)));
        Assert.DoesNotContain(id.ToString("D"), rig.Crm.Upserted); // the delete that came from the CRM is not sent back
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TwoCrmRecordsMergedHereAsOneCustomer_NeitherDeleteTheSurvivorNorStopTheSync(StorageProvider provider)
    {
        await using var rig = await StartAsync(provider);
        var first = rig.Crm.Put(Account("王伟", phone: "13800138000"));
        var second = rig.Crm.Put(Account("王 偉", phone: "+86 138 0013 8000")); // the same man, twice in the CRM
        await rig.ConnectAsync(); // pushDeletes: true
        await rig.UntilAsync(h => h.Applied == 2, "the two accounts were not pulled");
        var scan = await (await rig.Client.PostJsonAsync("/api/v1/dedup/scans", new { autoMerge = true })).ReadAsync<Switchboard.Core.Dedup.ScanSummary>();
        Assert.Equal(1, scan.Merged);
        var survivor = await rig.App.WithDbAsync(db => db.Customers.Select(c => c.Id).SingleAsync(Ct));
        await rig.UntilAsync(h => h.PendingPushes == 0, "the merge's events were not delivered");
        Assert.Equal(2, rig.Crm.Count); // the merged customer's delete did not take a CRM record with it

        // The merged one's record changes in the CRM: quarantined as a duplicate to merge there; the sync goes on.
        var health = await rig.HealthAsync();
        var other = await rig.App.WithDbAsync(db => db.SyncStates.Where(s => s.CustomerId == survivor).Select(s => s.Key).SingleAsync(Ct)) == first ? second : first;
        rig.Crm.Put(new Dictionary<string, string?> { ["Language__c"] = "yue" }, id: other);
        // At least once (what matters is that the change is held, not applied; the row is checked below).
        await rig.UntilAsync(h => h.Quarantined >= health.Quarantined + 1, "the duplicate's change was not quarantined");
        Assert.True(await rig.App.WithDbAsync(db => db.Quarantine.AnyAsync(q => q.Key == other && q.Reasons.Contains("duplicate to merge in the CRM"), Ct)));
        var linked = other == first ? second : first;
        rig.Crm.Put(new Dictionary<string, string?> { ["Team__c"] = "华南" }, id: linked);
        await Eventually.ValueAsync(() => rig.App.WithDbAsync(db => db.Customers.Where(c => c.Id == survivor).Select(c => c.OwnerTeam).SingleAsync(Ct)), t => t == "华南",
            () => "the linked record's change was not applied", TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await rig.HealthAsync()).FailedPasses);
    }

    [Fact]
    public async Task RateLimitedPulls_AreRetriedAfterTheWait_AndTheHealthSaysWhy()
    {
        await using var rig = await StartAsync(StorageProvider.Sqlite);
        for (var i = 0; i < 5; i++)
        {
            rig.Crm.Put(Account($"客户{i}"));
        }
        rig.Crm.FailNext = 2;
        await rig.ConnectAsync();
        var health = await rig.UntilAsync(h => h.Applied == 5 && h.LagP99Ms is not null, "the sync did not recover from the rate limit");
        Assert.True(health.FailedPasses >= 1);
        Assert.Null(health.LastError); // cleared by the pass that succeeded
        Assert.NotNull(health.LagP99Ms);
        Assert.True(health.RecordsPerSecond > 0);
        Assert.Contains(rig.App.Logs.Lines, l => l.Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.App.Logs.Lines, l => l.Contains("客户", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionsAreChecked_EveryProblemNamed_AndNamesThatWouldGoIntoAQueryAreRefused()
    {
        await using var rig = await StartAsync(StorageProvider.Sqlite);
        var bad = await rig.Client.PostAsync("/api/v1/sync/connections", new StringContent("""
            {"name":"Bad Name","vendor":"salesforce","object":"Account WHERE Name != ''","mapping":"no-such-mapping","url":"ftp://crm","auth":"bearer",
             "ourIdField":"x'; DROP","pageSize":5,"pollMilliseconds":1,"overlapSeconds":-1}
            """, Encoding.UTF8, "application/json"), Ct);
        var problem = await Problem.ReadAsync(bad, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "name", "object", "mapping", "url", "credential", "ourIdField", "pageSize", "pollMilliseconds", "overlapSeconds" })
        {
            Assert.True(problem.Errors.ContainsKey(field), $"{field} was not named: {problem.Raw}");
        }
        var vendor = await rig.Client.PostAsync("/api/v1/sync/connections", new StringContent("""{"name":"x","vendor":"oracle"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.True((await Problem.ReadAsync(vendor, HttpStatusCode.BadRequest)).Errors.ContainsKey("vendor"));
        Assert.Equal(0, await rig.App.WithDbAsync(db => db.SyncConnections.CountAsync(Ct)));
        await rig.ConnectAsync();
        var twice = await rig.Client.PostJsonAsync("/api/v1/sync/connections", new SyncConnectionInput("sf", SyncVendor.Salesforce, "Account", "salesforce-accounts",
            rig.CrmUrl, null, ConnectorAuthScheme.Bearer, "t", null, null, null, null, null, null, null));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rig.Client.GetAsync("/api/v1/sync/connections/nope", Ct)).StatusCode);
        Assert.True((await Problem.ReadAsync(await rig.Client.GetAsync("/api/v1/sync/connections/sf/conflicts?limit=0", Ct), HttpStatusCode.BadRequest)).Errors.ContainsKey("limit"));
        var malformed = await rig.Client.PostAsync("/api/v1/sync/connections", new StringContent("{\"name\":", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var view = await (await rig.Client.GetAsync("/api/v1/sync/connections", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(rig.Crm.Token, view, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await rig.Client.DeleteAsync("/api/v1/sync/connections/sf", Ct)).StatusCode);
        Assert.Equal(0, await rig.App.WithDbAsync(db => db.Destinations.CountAsync(Ct)));
    }
}
