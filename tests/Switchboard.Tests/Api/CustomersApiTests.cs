using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

public sealed class CustomersApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CustomerInput Zhang => new()
    {
        DisplayName = "张伟",
        Tier = ValueTier.Gold,
        Lifecycle = LifecycleStage.Loyal,
        Tags = ["老客户", "续约临近"],
        Region = "CN-31",
        PreferredLanguage = "zh-CN",
        OwnerAgentId = "agent-007",
        ContactPoints =
        [
            new ContactPointInput { Kind = ContactKind.Mobile, Value = "138 0013 8000", IsPrimary = true },
            new ContactPointInput { Kind = ContactKind.Office, Value = "021-5555 0100" },
            new ContactPointInput { Kind = ContactKind.Email, Value = "Zhang.Wei@Example.com" },
        ],
        ExternalIds = [new ExternalIdInput("Salesforce", "003XYZ")],
    };

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Create_ThenRead_ReturnsEverythingWrittenWithNormalisedNumbers(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;

        var created = await client.PostJsonAsync("/api/v1/customers", Zhang);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var customer = await created.ReadAsync<CustomerView>();
        Assert.Equal($"/api/v1/customers/{customer.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.ToString());
        Assert.Equal(7, customer.Id.Version);

        var read = await client.GetAsync($"/api/v1/customers/{customer.Id}", Ct);
        var view = await read.ReadAsync<CustomerView>();
        Assert.Equal("张伟", view.DisplayName);
        Assert.Equal(ValueTier.Gold, view.Tier);
        Assert.Equal(["老客户", "续约临近"], view.Tags);
        Assert.Equal([new ExternalIdView("salesforce", "003XYZ")], view.ExternalIds);
        var mobile = Assert.Single(view.ContactPoints, p => p.Kind == ContactKind.Mobile);
        Assert.Equal(("138 0013 8000", "+8613800138000", ContactPointStatus.Valid, true), (mobile.Raw, mobile.E164, mobile.Status, mobile.IsPrimary));
        Assert.Equal("+862155550100", Assert.Single(view.ContactPoints, p => p.Kind == ContactKind.Office).E164);
        Assert.Equal("zhang.wei@example.com", Assert.Single(view.ContactPoints, p => p.Kind == ContactKind.Email).Email);
        Assert.Equal(DateTimeKind.Utc, view.CreatedAt.Kind);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Search_ByPhoneInAnyFormat_NameOrExternalId_FindsTheCustomer(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", Zhang)).ReadAsync<CustomerView>();
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "李娜", ContactPoints = [new() { Value = "13900139000" }] });

        foreach (var phone in new[] { "13800138000", "+86 138-0013-8000", "0086 138 0013 8000", "(138) 0013-8000", "＋８６ １３８ ００１３ ８０００" })
        {
            var page = await (await client.GetAsync($"/api/v1/customers?phone={Uri.EscapeDataString(phone)}", Ct)).ReadAsync<Page<CustomerView>>();
            Assert.True(page.Items.Count == 1, $"'{phone}' found {page.Items.Count} customers");
            Assert.Equal(customer.Id, page.Items[0].Id);
        }

        var byName = await (await client.GetAsync("/api/v1/customers?name=" + Uri.EscapeDataString("张"), Ct)).ReadAsync<Page<CustomerView>>();
        Assert.Equal([customer.Id], byName.Items.Select(c => c.Id));
        var byExternal = await (await client.GetAsync("/api/v1/customers?externalSystem=SALESFORCE&externalId=003XYZ", Ct)).ReadAsync<Page<CustomerView>>();
        Assert.Equal([customer.Id], byExternal.Items.Select(c => c.Id));
        var byEmail = await (await client.GetAsync("/api/v1/customers?email=ZHANG.wei@example.com", Ct)).ReadAsync<Page<CustomerView>>();
        Assert.Equal([customer.Id], byEmail.Items.Select(c => c.Id));
        var nobody = await (await client.GetAsync("/api/v1/customers?phone=13700137000", Ct)).ReadAsync<Page<CustomerView>>();
        Assert.Empty(nobody.Items);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Replace_WithStaleVersion_Is409AndChangesNothing(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", Zhang)).ReadAsync<CustomerView>();
        var url = $"/api/v1/customers/{customer.Id}";

        var first = await client.PutJsonAsync(url, Zhang with { ContactPoints = null, DisplayName = "张伟 (VIP)", Version = 1 });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"2\"", first.Headers.ETag?.ToString());

        var stale = await client.PutJsonAsync(url, Zhang with { ContactPoints = null, DisplayName = "lost update", Version = 1 });
        var problem = await Problem.ReadAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal(ErrorCodes.VersionConflict, problem.Code);

        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent(Zhang with { ContactPoints = null, DisplayName = "via If-Match" }) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, Ct)).StatusCode);

        var now = await (await client.GetAsync(url, Ct)).ReadAsync<CustomerView>();
        Assert.Equal(("via If-Match", 3L), (now.DisplayName, now.Version));
        Assert.Equal(3, now.ContactPoints.Count);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Replace_ConcurrentWritersWithTheSameVersion_ExactlyOneWins(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", Zhang)).ReadAsync<CustomerView>();

        var writers = Enumerable.Range(0, 8).Select(i =>
            client.PutJsonAsync($"/api/v1/customers/{customer.Id}", Zhang with { ContactPoints = null, DisplayName = $"writer {i}", Version = 1 }));
        var statuses = (await Task.WhenAll(writers)).Select(r => r.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var now = await (await client.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal(2, now.Version);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TheIdentityMap_FindsCustomersByKey_WhateverTheCaseOfTheSystemsName(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", Zhang)).ReadAsync<CustomerView>();

        foreach (var system in new[] { "salesforce", "Salesforce", " SALESFORCE " })
        {
            var found = await app.WithDbAsync(db => ExternalIdMap.CustomersByKeyAsync(db, system, ["003XYZ", "003-unknown"], tracked: false, Ct));
            var (key, linked) = Assert.Single(found);
            Assert.Equal(("003XYZ", customer.Id), (key, linked.Id));
            Assert.Equal(3, linked.ContactPoints.Count);
        }
        Assert.Empty(await app.WithDbAsync(db => ExternalIdMap.CustomersByKeyAsync(db, "hubspot", ["003XYZ"], tracked: false, Ct)));
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Delete_RemovesTheCustomerWhatItOwnsAndItsExternalIds(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", Zhang)).ReadAsync<CustomerView>();
        var order = await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders",
            new OrderInput { Number = "SO-1", Amount = 10m, Currency = "CNY", ExternalIds = [new("erp", "O-1")] });
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode);

        var gone = await Problem.ReadAsync(await client.GetAsync($"/api/v1/customers/{customer.Id}", Ct), HttpStatusCode.NotFound);
        Assert.Equal("customer.not_found", gone.Code);
        var left = await app.WithDbAsync(async db => (
            await db.Orders.CountAsync(Ct), await db.ContactPoints.CountAsync(Ct), await db.ExternalIds.CountAsync(Ct)));
        Assert.Equal((0, 0, 0), left);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Create_WhenALaterPartConflicts_WritesNothing(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/customers", Zhang)).StatusCode);

        // The customer and its first contact point are fine; the second point carries an id another customer holds.
        var taken = Zhang with
        {
            ExternalIds = [new ExternalIdInput("salesforce", "003NEW")],
            ContactPoints = [new() { Value = "13500135000" }, new() { Value = "13600136000", ExternalIds = [new("pbx", "x1")] }],
        };
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/customers", taken with { ExternalIds = [new("salesforce", "003B")] })).StatusCode);
        var conflict = await client.PostJsonAsync("/api/v1/customers", taken);

        Assert.Equal(ErrorCodes.Duplicate, (await Problem.ReadAsync(conflict, HttpStatusCode.Conflict)).Code);
        var counts = await app.WithDbAsync(async db => (await db.Customers.CountAsync(Ct), await db.ContactPoints.CountAsync(Ct)));
        Assert.Equal((2, 5), counts);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task List_PagesWithCursor_VisitEveryCustomerOnce(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"Customer {i}" })).ReadAsync<CustomerView>()).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync("/api/v1/customers?limit=3" + (cursor is null ? "" : "&cursor=" + cursor), Ct)).ReadAsync<Page<CustomerView>>();
            seen.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    private static StringContent JsonContent<T>(T value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value, SwitchboardApplication.Json), System.Text.Encoding.UTF8, "application/json");
}
