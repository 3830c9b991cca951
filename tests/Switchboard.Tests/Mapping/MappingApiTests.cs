using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Mapping;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Mapping;

/// <summary>Mapping specs through the real HTTP pipeline: versions, reading back, and dry runs against the stored customers.</summary>
public sealed class MappingApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, new MediaTypeHeaderValue("application/yaml"));

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ASpec_IsVersioned_AndADryRun_ShowsEachRecordsOutcome_AgainstWhatIsStored_WritingNothing(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var first = await client.PutAsync("/api/v1/mappings/salesforce-accounts", Yaml(MappingEngineTests.SalesforceYaml), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await first.ReadAsync<MappingVersionView>()).Version);
        var again = await (await client.PutAsync("/api/v1/mappings/salesforce-accounts", Yaml(MappingEngineTests.SalesforceYaml), Ct)).ReadAsync<MappingVersionView>();
        Assert.Equal(1, again.Version); // the same document makes no new version
        var changed = MappingEngineTests.SalesforceYaml.Replace("C: standard", "C: silver", StringComparison.Ordinal);
        var second = await (await client.PutAsync("/api/v1/mappings/salesforce-accounts", Yaml(changed), Ct)).ReadAsync<MappingVersionView>();
        Assert.Equal((2, "yaml", "salesforce", 8), (second.Version, second.Format, second.System, second.Fields));
        Assert.Contains("C: standard", (await (await client.GetAsync("/api/v1/mappings/salesforce-accounts?version=1", Ct)).ReadAsync<MappingVersionView>()).Document,
            StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(await (await client.GetAsync("/api/v1/mappings", Ct)).ReadAsync<List<MappingVersionView>>()).Version);

        // Two customers the CRM already knows (linked by its ids), one it does not.
        var linked = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "上海ABC贸易有限公司", Tier = ValueTier.Gold, Region = "unknown", ExternalIds = [new ExternalIdInput("salesforce", "001A")],
            ContactPoints = [new ContactPointInput { Value = "13800138000" }],
        })).ReadAsync<CustomerView>();
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "Acme", Tier = ValueTier.Standard, Lifecycle = LifecycleStage.Active, Region = "unknown", ExternalIds = [new ExternalIdInput("salesforce", "001B")],
        });
        var customersBefore = await app.WithDbAsync(db => db.Customers.CountAsync(Ct));
        var run = await client.PostJsonAsync("/api/v1/mappings/dry-run", new
        {
            name = "salesforce-accounts",
            version = 1,
            records = new Dictionary<string, object>[]
            {
                new() { ["Id"] = "001A", ["Name"] = "上海ＡＢＣ贸易有限公司", ["Value_Tier__c"] = "A", ["MobilePhone"] = "138 0013 8000" }, // tier gold → vip
                new() { ["Id"] = "001B", ["Name"] = "Acme", ["Value_Tier__c"] = "C", ["Stage__c"] = "Customer" },                          // as stored
                new() { ["id"] = "001C", ["name"] = "新客户", ["value_tier__c"] = "B" },                       // unknown to us (names in any case)
                new() { ["Id"] = "001D", ["Name"] = "坏数据", ["Value_Tier__c"] = "Q", ["MobilePhone"] = 404 },                           // quarantined
            },
        });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var result = await run.ReadAsync<JsonElement>();
        Assert.Equal((1, 1, 1, 1), (result.GetProperty("create").GetInt32(), result.GetProperty("update").GetInt32(), result.GetProperty("unchanged").GetInt32(),
            result.GetProperty("quarantine").GetInt32()));
        var records = result.GetProperty("records");
        Assert.Equal("update", records[0].GetProperty("action").GetString());
        Assert.Equal(linked.Id, records[0].GetProperty("customerId").GetGuid());
        var change = Assert.Single(records[0].GetProperty("changes").EnumerateArray());
        Assert.Equal(("tier", "gold", "vip", "external"), (change.GetProperty("field").GetString(), change.GetProperty("stored").GetString(),
            change.GetProperty("incoming").GetString(), change.GetProperty("owner").GetString()));
        Assert.Equal("unchanged", records[1].GetProperty("action").GetString());
        Assert.Equal("create", records[2].GetProperty("action").GetString());
        Assert.Equal("quarantine", records[3].GetProperty("action").GetString());
        Assert.Equal(2, records[3].GetProperty("errors").GetArrayLength());
        Assert.Equal(customersBefore, await app.WithDbAsync(db => db.Customers.CountAsync(Ct))); // nothing written
        // The stored customers it showed were read, and the reads are audited.
        Assert.True(await app.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.Action == Switchboard.Core.Audit.AuditAction.Read && e.CustomerId == linked.Id, Ct)));
    }

    [Fact]
    public async Task BadRequests_AreRefused_WithTheirReasons()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var wrongType = await client.PutAsync("/api/v1/mappings/x", new StringContent("name: x", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal("application/problem+json", wrongType.Content.Headers.ContentType?.MediaType);
        var misnamed = await client.PutAsync("/api/v1/mappings/other-name", Yaml(MappingEngineTests.SalesforceYaml), Ct);
        Assert.Contains("salesforce-accounts", await misnamed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var laughs = await client.PutAsync("/api/v1/mappings/x", Yaml("a: &a [1,2]\nb: [*a,*a]\n"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, laughs.StatusCode);
        Assert.Contains("anchors", await laughs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var badJson = await client.PutAsync("/api/v1/mappings/x", new StringContent("{\"name\": [", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/mappings/nothing", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/v1/mappings/dry-run", new { name = "nothing", records = new[] { new { Id = "1" } } })).StatusCode);
        var tooMany = await client.PostJsonAsync("/api/v1/mappings/dry-run", new { name = "x", records = Enumerable.Range(0, 1001).Select(i => new { Id = i }).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Empty(await (await client.GetAsync("/api/v1/mappings", Ct)).ReadAsync<List<MappingVersionView>>());
    }
}
