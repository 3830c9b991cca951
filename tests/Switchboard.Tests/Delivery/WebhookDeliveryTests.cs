using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Delivery;

public sealed class WebhookDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        // Retries doubling from 20 ms to at most 250 ms: a delivery that fails ten times in a row (one in a thousand at 50%)
        // must not wait the minutes a real backoff would.
        ["Outbox:FirstRetryMilliseconds"] = "20", ["Outbox:MaxRetryMilliseconds"] = "250", ["Outbox:PollMilliseconds"] = "20", ["Outbox:BreakerBreakSeconds"] = "1",
    };

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task EveryChange_ReachesTheWebhook_Signed_InOrderPerCustomer_ThroughFailures_OnceInEffect(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider, FastRetries);
        await using var _ = store;
        using var __ = app;
        await using var receiver = await WebhookReceiver.StartAsync();
        var made = await client.PostJsonAsync("/api/v1/webhooks", new WebhookInput("crm", receiver.Url.ToString(), ["customer.*", "ticket.*", "order.created"], null, 50));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var webhook = await made.ReadAsync<WebhookView>();
        receiver.Secret = webhook.Secret!;
        Assert.DoesNotContain(webhook.Secret!, await client.GetStringAsync("/api/v1/webhooks", Ct), StringComparison.Ordinal); // shown once

        // Half of all requests fail while 20 customers change three times each.
        receiver.FailureRate = 0.5;
        var customers = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"客户{i}" })).ReadAsync<CustomerView>();
            var ticket = await (await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "发票" })).ReadAsync<TicketView>();
            await client.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new TicketInput { Subject = "发票（已寄出）", Status = TicketStatus.Resolved, Version = ticket.Version });
            await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tasks", new FollowUpTaskInput { Title = "not subscribed", AssigneeTeam = "care", DueAt = DateTimeOffset.UtcNow.AddDays(1) });
            customers.Add(customer.Id);
        }
        // Half failing trips the receiver's circuit breaker now and then: its attempts wait, uncounted, and go on.
        await Eventually.ValueAsync(() => Task.FromResult(receiver.Applied.Count), n => n >= 60, () => $"only {receiver.Applied.Count} of 60 events applied", TimeSpan.FromSeconds(60));
        receiver.FailureRate = 0;
        Assert.True(receiver.Failed > 0, "the receiver never failed: the test proves nothing");
        Assert.Equal(0, receiver.Rejected); // every signature verified

        var applied = receiver.Applied.ToList();
        Assert.Equal(60, applied.Count);
        Assert.DoesNotContain(applied, e => e.GetProperty("type").GetString()!.StartsWith("task.", StringComparison.Ordinal));
        foreach (var id in customers)
        {
            // In order per customer: created, then the ticket made, then changed — whatever failed and was retried.
            Assert.Equal(["customer.created", "ticket.created", "ticket.updated"],
                applied.Where(e => e.GetProperty("customerId").GetString() == id.ToString("D")).Select(e => e.GetProperty("type").GetString()));
        }
        var last = applied.Last(e => e.GetProperty("type").GetString() == "ticket.updated");
        Assert.Equal("resolved", last.GetProperty("data").GetProperty("status").GetString());
        // Outcomes are written behind the sends: the store catches up with what the receiver has.
        await Eventually.TrueAsync(async () => await app.WithDbAsync(db => db.OutboxDeliveries.CountAsync(d => d.Status != DeliveryStatus.Delivered, Ct)) == 0,
            "deliveries still not marked delivered after every event arrived");
    }

    [Fact]
    public async Task AReceiverThatNeverTakesIt_FillsTheDeadLetters_WhichReplayOnceItIsBack()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, FastRetries);
        await using var _ = store;
        using var __ = app;
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await (await client.PostJsonAsync("/api/v1/webhooks", new WebhookInput("erp", receiver.Url.ToString(), ["order.*"], null, 3))).ReadAsync<WebhookView>();
        receiver.Secret = webhook.Secret!;
        receiver.FailureRate = 1;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "x" })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-1", Amount = 1m, Currency = "CNY" });
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-2", Amount = 2m, Currency = "CNY" });

        List<DeliveryView> dead = [];
        await Eventually.TrueAsync(async () => (dead = await (await client.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries?status=dead", Ct))
            .ReadAsync<List<DeliveryView>>()).Count == 2, "the orders did not become dead letters: " + string.Join('\n', app.Logs.Lines.TakeLast(8)));
        Assert.All(dead, d => Assert.Equal((3, "500 Internal Server Error"), (d.Attempts, d.LastError)));
        Assert.Empty(receiver.Applied);

        receiver.FailureRate = 0;
        var replayed = await (await client.PostJsonAsync($"/api/v1/webhooks/{webhook.Id}/replay", new { })).ReadAsync<JsonElement>();
        Assert.Equal(2, replayed.GetProperty("queued").GetInt32());
        await Eventually.TrueAsync(() => receiver.Applied.Count == 2, "the replayed dead letters did not arrive");
        Assert.Equal(["SO-1", "SO-2"], receiver.Applied.Select(e => e.GetProperty("data").GetProperty("number").GetString()));
    }

    [Fact]
    public async Task AWebhookOfALesserRole_GetsTheDataShapedForIt_AndATamperedBodyFailsTheRecipe()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, FastRetries);
        await using var _ = store;
        using var __ = app;
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await (await client.PostJsonAsync("/api/v1/webhooks",
            new WebhookInput("wallboard", receiver.Url.ToString(), ["order.*", "customer.*"], Switchboard.Core.Security.Role.Agent, null))).ReadAsync<WebhookView>();
        receiver.Secret = webhook.Secret!;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "x", ContactPoints = [new() { Value = "13800138000" }] })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-9", Amount = 99m, Currency = "CNY" });
        await Eventually.TrueAsync(() => receiver.Applied.Count == 2, "the events did not arrive");
        var events = receiver.Applied.ToList();
        Assert.False(events[1].GetProperty("data").TryGetProperty("amount", out var __amount)); // withheld for an agent's eyes: absent
        Assert.Equal("138****8000", events[0].GetProperty("data").GetProperty("contactPoints")[0].GetProperty("raw").GetString());

        // The recipe accepts what was sent and refuses one changed byte.
        var body = System.Text.Encoding.UTF8.GetBytes("""{"id":"evt_1"}""");
        var now = DateTimeOffset.UtcNow;
        var signature = Switchboard.Core.Telephony.SourceSecrets.Sign(webhook.Secret!, now.ToUnixTimeSeconds(), body);
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WebhookReceiver.Verify(webhook.Secret!, timestamp, signature, body, now));
        body[^2] = (byte)'2';
        Assert.False(WebhookReceiver.Verify(webhook.Secret!, timestamp, signature, body, now));
    }
}
