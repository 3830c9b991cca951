using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Sync;
using Switchboard.Data;
using Switchboard.Fakes;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Sync;

/// <summary>The same sync against a local HubSpot-shaped CRM (search by modified date, offset paging, archived list, batch upsert by a unique property) with the docs' sample mapping.</summary>
public sealed class HubSpotSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContactsArePulledAcrossPages_AChangeWeOwnIsPushedToTheRightContact_AndAnArchivedOneIsRemoved()
    {
        var crm = new FakeHubSpot();
        var wang = crm.Put(new Dictionary<string, string?> { ["firstname"] = "伟", ["lastname"] = "王", ["mobilephone"] = "１３８００１３８０００", ["switchboard_tier"] = "VIP", ["lifecyclestage"] = "customer" });
        var li = crm.Put(new Dictionary<string, string?> { ["firstname"] = "娜", ["lastname"] = "李", ["switchboard_tier"] = "Gold", ["lifecyclestage"] = "lead" });
        var company = crm.Put(new Dictionary<string, string?> { ["company"] = "远景科技", ["phone"] = "010-6552-9988", ["lifecyclestage"] = "opportunity" });
        var (crmApp, crmUrl) = await FakeHubSpot.StartAsync(crm);
        await using var _ = crmApp;
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, SyncTests.Quick);
        await using var __ = store;
        using var ___ = app;
        var spec = await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "docs", "samples", "hubspot-contacts.yaml"), Ct);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/mappings/hubspot-contacts", new StringContent(spec, Encoding.UTF8, "application/yaml"), Ct)).StatusCode);
        var made = await client.PostJsonAsync("/api/v1/sync/connections", new SyncConnectionInput("hubspot", SyncVendor.HubSpot, "contacts", "hubspot-contacts", crmUrl, null,
            ConnectorAuthScheme.Bearer, crm.Token, null, null, 2, 30, 60, false, false));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        async Task<SyncHealthView> Health() => (await (await client.GetAsync("/api/v1/sync/connections/hubspot", Ct)).ReadAsync<SyncConnectionView>()).Health;

        await Eventually.ValueAsync(Health, h => h.Applied == 3, () => "the three contacts were not pulled (two pages)", TimeSpan.FromSeconds(30));
        async Task<Guid> IdOf(string key) => await app.WithDbAsync(db => db.ExternalIds.Where(e => e.System == "hubspot" && e.Key == key).Select(e => e.EntityId).SingleAsync(Ct));
        var wangView = await (await client.GetAsync($"/api/v1/customers/{await IdOf(wang)}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal(("王伟", ValueTier.Vip, "+8613800138000"), (wangView.DisplayName, wangView.Tier, wangView.ContactPoints.Single(p => p.Kind == ContactKind.Mobile).E164));
        Assert.Equal(CustomerKind.Company, (await (await client.GetAsync($"/api/v1/customers/{await IdOf(company)}", Ct)).ReadAsync<CustomerView>()).Kind);

        // The call center raises the tier (a field it owns): the contact that came from HubSpot is updated by its id and stamped with ours.
        await client.PutJsonAsync($"/api/v1/customers/{wangView.Id}", new CustomerInput
        {
            DisplayName = wangView.DisplayName, Kind = wangView.Kind, Tier = ValueTier.Gold, Lifecycle = wangView.Lifecycle, Region = wangView.Region, Version = wangView.Version,
        });
        await Eventually.TrueAsync(() => crm.Get(wang)?["switchboard_tier"] == "Gold", "the tier was not pushed to the contact");
        Assert.Equal(wangView.Id.ToString("D"), crm.Get(wang)!["switchboard_id"]);
        Assert.Equal(3, crm.Count); // updated, not made again

        crm.Delete(li);
        var liId = await IdOf(li);
        await Eventually.ValueAsync(Health, h => h.Deleted == 1, () => "the archived contact was not removed", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/customers/{liId}", Ct)).StatusCode);
        Assert.Equal(0, (await Health()).Conflicts);
    }
}
