using System.Net;
using System.Text.Json;
using CsCheck;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Delivery;

/// <summary>The generic REST connector against a Salesforce-shaped CRM, and its templates on their own.</summary>
public sealed class ConnectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static ConnectorInput SalesforceConnector(FakeSalesforce crm) => new("salesforce", crm.BaseUrl.ToString(), null, ConnectorAuthScheme.Bearer, crm.AccessToken,
    [
        new ConnectorRoute("customer.created,customer.updated", "PATCH", FakeSalesforce.ApiPath + "/Account/Switchboard_Id__c/{{recordId}}",
            Json("""{"Name":"{{data.displayName}}","Tier__c":"{{data.tier}}","Tags__c":"{{data.tags}}","Source__c":"Switchboard {{type}}"}""")),
        new ConnectorRoute("customer.deleted", "DELETE", FakeSalesforce.ApiPath + "/Account/Switchboard_Id__c/{{recordId}}", null),
        new ConnectorRoute("ticket.deleted", "DELETE", FakeSalesforce.ApiPath + "/Case/Switchboard_Id__c/{{recordId}}", null),
        new ConnectorRoute("ticket.created,ticket.updated", "PATCH", FakeSalesforce.ApiPath + "/Case/Switchboard_Id__c/{{recordId}}",
            Json("""{"Subject":"{{data.subject}}","Status":"{{data.status}}","Account":{"Switchboard_Id__c":"{{customerId}}"},"Switchboard_Event__c":"{{id}}"}""")),
    ], null, 50);

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Changes_ReachTheCrm_AsItsOwnRequests_WithAnIdempotencyKey_HonouringItsLimits(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Outbox:PollMilliseconds"] = "20", ["Outbox:FirstRetryMilliseconds"] = "20", ["Outbox:RateLimitPauseSeconds"] = "1",
        });
        await using var _ = store;
        using var __ = app;
        await using var crm = await FakeSalesforce.StartAsync();
        var made = await client.PostJsonAsync("/api/v1/connectors", SalesforceConnector(crm));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var connector = await made.ReadAsync<ConnectorView>();
        Assert.NotNull(connector.Secret);
        var listed = await client.GetStringAsync("/api/v1/connectors", Ct);
        Assert.DoesNotContain(crm.AccessToken, listed, StringComparison.Ordinal); // the credential is never shown again
        Assert.DoesNotContain(connector.Secret!, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(connector.Id.ToString(), await client.GetStringAsync("/api/v1/webhooks", Ct), StringComparison.Ordinal);

        // Salesforce's API limit three times (the pipeline retries twice, then the destination pauses), then a 429.
        crm.LimitNext(3);
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "上海某某贸易有限公司", Tags = ["VIP \"key\""] }))
            .ReadAsync<CustomerView>();
        var ticket = await (await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "升级到企业版" })).ReadAsync<TicketView>();
        await Eventually.TrueAsync(() => crm.Records.ContainsKey($"Case/{ticket.Id}"), "the ticket never reached the CRM");
        crm.ThrottleNext(1);
        await client.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new TicketInput { Subject = "升级到企业版（已报价）", Status = TicketStatus.Resolved, Version = ticket.Version });
        await Eventually.ValueAsync(() => Task.FromResult(crm.Records.GetValueOrDefault($"Case/{ticket.Id}")),
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("Status").GetString() == "resolved", () => "the ticket's update never reached the CRM", TimeSpan.FromSeconds(30));

        var account = crm.Records[$"Account/{customer.Id}"];
        Assert.Equal("上海某某贸易有限公司", account.GetProperty("Name").GetString());
        Assert.Equal(JsonValueKind.Array, account.GetProperty("Tags__c").ValueKind); // a whole placeholder keeps the field's JSON type
        Assert.Equal("VIP \"key\"", account.GetProperty("Tags__c")[0].GetString());
        Assert.Equal("Switchboard customer.created", account.GetProperty("Source__c").GetString());
        var case_ = crm.Records[$"Case/{ticket.Id}"];
        Assert.Equal(("升级到企业版（已报价）", customer.Id.ToString("D")), (case_.GetProperty("Subject").GetString(), case_.GetProperty("Account").GetProperty("Switchboard_Id__c").GetString()));

        var requests = crm.Requests.ToList();
        Assert.All(requests, r => Assert.StartsWith("evt_", r.IdempotencyKey));
        Assert.Equal(3, requests.Count(r => r.Status == 403));
        var throttled = Assert.Single(requests, r => r.Status == 429);
        var after = requests.SkipWhile(r => r != throttled).Skip(1).First();
        Assert.True(after.At - throttled.At >= TimeSpan.FromSeconds(crm.RetryAfterSeconds - 0.5), $"retried {after.At - throttled.At} after a Retry-After of {crm.RetryAfterSeconds} s");
        // Rate limits are deferrals, not failures: nothing counted against the deliveries.
        var deliveries = await Eventually.ValueAsync(async () => await (await client.GetAsync($"/api/v1/connectors/{connector.Id}/deliveries", Ct)).ReadAsync<List<DeliveryView>>(),
            d => d.Count == 3 && d.All(x => x.Status == DeliveryStatus.Delivered), () => "the deliveries were not all marked delivered", TimeSpan.FromSeconds(15));
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));

        // A delete is a DELETE; one of a record the CRM no longer has is done, not failed.
        crm.Records.TryRemove($"Case/{ticket.Id}", out var __case);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode);
        await Eventually.TrueAsync(() => !crm.Records.ContainsKey($"Account/{customer.Id}"), "the customer's delete never reached the CRM");
        await Eventually.TrueAsync(() => crm.Requests.Any(r => r is { Method: "DELETE", Status: 404 } && r.Path.Contains(ticket.Id.ToString(), StringComparison.Ordinal)),
            "the ticket's delete was not sent"); // after the customer's, or before: they are one save
        await Eventually.TrueAsync(async () => (await (await client.GetAsync($"/api/v1/connectors/{connector.Id}/deliveries", Ct)).ReadAsync<List<DeliveryView>>())
            .All(d => d.Status == DeliveryStatus.Delivered), "the deletes were not all done");
    }

    [Fact]
    public async Task ABadConnector_IsRefused_NamingEveryFieldAndReason_AndNothingIsMade()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var hostile = new ConnectorInput("x", "https://crm.example.com", null, ConnectorAuthScheme.Header, "Host: evil.example.com",
        [
            new ConnectorRoute("ticket.*", "GET", "/../admin", Json("""{"a":"{{data.subject}}"}""")),
            new ConnectorRoute("nonsense.*", "POST", "/x/{{secret}}", Json("""{"a":"{{data..x}}","b":"{{ unclosed"}""")),
            new ConnectorRoute("ticket.created", "DELETE", "/x", Json("""{"a":1}""")),
            new ConnectorRoute("ticket.created", "PUT", "/x", Json("\"text\"")),
            new ConnectorRoute("ticket.created", "POST", "/x", Json("{\"a\":\"" + new string('x', 17_000) + "\"}")),
            new ConnectorRoute("ticket.created", "POST", "/x", Json(string.Concat(Enumerable.Repeat("[", 12)) + string.Concat(Enumerable.Repeat("]", 12)))),
            new ConnectorRoute("ticket.created", "POST", "/x", null),
        ], null, 0);
        var response = await client.PostJsonAsync("/api/v1/connectors", hostile);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "credential", "maxAttempts", "routes[0].method", "routes[0].path", "routes[1].events", "routes[1].path", "routes[1].body",
                     "routes[2].body", "routes[3].body", "routes[4].body", "routes[5].body", "routes[6].body" })
        {
            Assert.True(errors.TryGetProperty(field, out var __field), $"no error for {field}: {errors}");
        }
        Assert.Equal("[]", await client.GetStringAsync("/api/v1/connectors", Ct));

        response = await client.PostJsonAsync("/api/v1/connectors", new ConnectorInput("y", "https://crm.example.com", null, null, "token", null, null, null));
        errors = (await response.ReadAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("credential", out var __c) && errors.TryGetProperty("routes", out var __r), errors.ToString());
    }

    [Fact]
    public void Rendering_PutsAnyValue_ThroughUnchanged_AndNeverExpandsPlaceholdersInTheData()
    {
        var route = new ConnectorRoute("*", "PATCH", "/Account/{{data.code}}", Json("""{"Name":"{{data.name}}","Note":"« {{data.name}} » #{{data.n}}","N":"{{data.n}}","Missing":"{{data.none}}","Fixed":[1,true,null]}"""));
        Gen.Select(Gen.String, Gen.String, Gen.Long).Sample((name, code, n) =>
        {
            var envelope = JsonSerializer.SerializeToElement(new { id = "evt_1", type = "customer.updated", data = new { name, code, n } });
            var rendered = ConnectorTemplate.Render(route, envelope);
            var body = JsonDocument.Parse(rendered.Body!).RootElement;
            Assert.Equal(name, body.GetProperty("Name").GetString());
            Assert.Equal($"« {name} » #{n}", body.GetProperty("Note").GetString());
            Assert.Equal(n, body.GetProperty("N").GetInt64());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("Missing").ValueKind);
            Assert.Equal("[1,true,null]", body.GetProperty("Fixed").GetRawText());
            Assert.Equal("/Account/" + Uri.EscapeDataString(code), rendered.Path); // escaped: no path or query of its own
        });
    }
}
