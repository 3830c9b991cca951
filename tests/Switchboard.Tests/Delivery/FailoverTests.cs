using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Delivery;

/// <summary>
/// A receiver failing half its requests, then all, then healthy again, through the real pipeline: its circuit opens,
/// delivery fails over to the backup endpoint (or holds), an alert is raised on the API and in the log, and when
/// the primary recovers delivery switches back; every event arrives once in effect, in order per customer.
/// </summary>
public sealed class FailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> QuickBreaker = new()
    {
        // The breaker of the issue (half of at least N calls in a window, then a rest), scaled down so a test sees it open and close.
        ["Outbox:FirstRetryMilliseconds"] = "20", ["Outbox:MaxRetryMilliseconds"] = "250", ["Outbox:PollMilliseconds"] = "20",
        ["Outbox:BreakerMinimumThroughput"] = "8", ["Outbox:BreakerSamplingSeconds"] = "5", ["Outbox:BreakerBreakSeconds"] = "1",
    };

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task HalfFailing_ThenDown_ThenHealthy_FailsOverToTheBackup_Alerts_AndSwitchesBack_OnceInEffect_InOrder(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider, QuickBreaker);
        await using var _ = store;
        using var __ = app;
        await using var primary = await WebhookReceiver.StartAsync();
        await using var backup = await WebhookReceiver.StartAsync(otherEndpointOf: primary);
        var made = await client.PostJsonAsync("/api/v1/webhooks",
            new WebhookInput("crm", primary.Url.ToString(), ["customer.*", "ticket.*"], null, 50, BackupUrl: backup.Url.ToString()));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var webhook = await made.ReadAsync<WebhookView>();
        (primary.Secret, backup.Secret) = (webhook.Secret!, webhook.Secret!);
        var customers = new List<Guid>();
        async Task ChangeAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"客户{customers.Count}" })).ReadAsync<CustomerView>();
                var ticket = await (await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "升级" })).ReadAsync<TicketView>();
                await client.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new TicketInput { Subject = "升级（已报价）", Status = TicketStatus.Resolved, Version = ticket.Version });
                customers.Add(customer.Id);
            }
        }

        // 1. Half of the primary's answers fail.
        primary.FailureRate = 0.5;
        await ChangeAsync(8);
        await Eventually.ValueAsync(() => Task.FromResult(primary.Applied.Count), n => n >= 24, () => $"{primary.Applied.Count} of 24 applied", TimeSpan.FromSeconds(60));
        Assert.True(primary.Failed > 0, "the primary never failed: the phase proves nothing");

        // 2. The primary is down: its circuit opens, the backup takes over, an alert is raised.
        primary.FailureRate = 1;
        await ChangeAsync(8);
        await Eventually.ValueAsync(() => Task.FromResult(primary.Applied.Count), n => n >= 48, () => $"{primary.Applied.Count} of 48 applied while the primary was down", TimeSpan.FromSeconds(60));
        Assert.NotEmpty(backup.Received);
        var alerts = await (await client.GetAsync("/api/v1/delivery/alerts", Ct)).ReadAsync<List<DeliveryAlertView>>();
        Assert.Contains(alerts, a => a is { Kind: DeliveryAlert.Failover, Channel: Channel.Backup, Destination: "crm" } && a.DestinationId == webhook.Id);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Delivery alert failover", StringComparison.Ordinal));
        var health = await (await client.GetAsync("/api/v1/delivery/destinations", Ct)).ReadAsync<List<DestinationHealthView>>();
        Assert.Equal(Channel.Backup, Assert.Single(health).Channel);

        // 3. The primary is back: the breaker's trial finds it, delivery switches back (an alert), new changes go to it.
        primary.FailureRate = 0;
        var beforeRecovery = primary.Received.Count;
        var lastAlert = alerts[^1].Id;
        await Eventually.ValueAsync(async () =>
        {
            await ChangeAsync(1);
            return await (await client.GetAsync($"/api/v1/delivery/alerts?after={lastAlert}", Ct)).ReadAsync<List<DeliveryAlertView>>();
        }, a => a.Any(x => x.Kind == DeliveryAlert.Recovered), () => "delivery never switched back to the primary", TimeSpan.FromSeconds(60));
        var total = customers.Count * 3;
        await Eventually.ValueAsync(() => Task.FromResult(primary.Applied.Count), n => n >= total, () => $"{primary.Applied.Count} of {total} applied", TimeSpan.FromSeconds(60));
        Assert.True(primary.Received.Count > beforeRecovery, "nothing reached the recovered primary");
        // Outcomes are written behind the sends: the store catches up with what the receiver has.
        health = await Eventually.ValueAsync(async () => await (await client.GetAsync("/api/v1/delivery/destinations", Ct)).ReadAsync<List<DestinationHealthView>>(),
            h => h[0].Pending == 0, () => "deliveries still pending after every event arrived", TimeSpan.FromSeconds(15));
        Assert.Equal((Channel.Primary, 0, 0), (health[0].Channel, health[0].Pending, health[0].Dead));

        // Once in effect, in order per customer, whichever endpoint took each event.
        var applied = primary.Applied.ToList();
        Assert.Equal(total, applied.Count);
        Assert.Equal(total, applied.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        foreach (var id in customers)
        {
            Assert.Equal(["customer.created", "ticket.created", "ticket.updated"],
                applied.Where(e => e.GetProperty("customerId").GetString() == id.ToString("D")).Select(e => e.GetProperty("type").GetString()));
        }
        var kinds = (await (await client.GetAsync("/api/v1/delivery/alerts", Ct)).ReadAsync<List<DeliveryAlertView>>()).Select(a => a.Kind).ToList();
        Assert.Equal(DeliveryAlert.Failover, kinds[0]);
        Assert.Equal(DeliveryAlert.Recovered, kinds[^1]);
        Assert.All(kinds.Zip(kinds.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second)); // an alert per change, never two alike in a row
        Assert.Equal(0, primary.Rejected + backup.Rejected);
    }

    [Fact]
    public async Task WithoutABackup_DeliveryHolds_Alerts_AndDrainsInOrderWhenThePrimaryRecovers()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, QuickBreaker);
        await using var _ = store;
        using var __ = app;
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await (await client.PostJsonAsync("/api/v1/webhooks", new WebhookInput("erp", receiver.Url.ToString(), ["customer.*", "ticket.*"], null, 50)))
            .ReadAsync<WebhookView>();
        receiver.Secret = webhook.Secret!;
        receiver.FailureRate = 1;
        var customers = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"Customer {i}" })).ReadAsync<CustomerView>();
            await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "Refund" });
            customers.Add(customer.Id);
        }
        await Eventually.TrueAsync(async () => (await (await client.GetAsync("/api/v1/delivery/alerts", Ct)).ReadAsync<List<DeliveryAlertView>>())
            .Any(a => a is { Kind: DeliveryAlert.Holding, Channel: Channel.Holding }), "no holding alert: " + string.Join('\n', app.Logs.Lines.TakeLast(5)));
        var held = await (await client.GetAsync("/api/v1/delivery/destinations", Ct)).ReadAsync<List<DestinationHealthView>>();
        Assert.Equal(Channel.Holding, held[0].Channel);
        Assert.True(held[0].Pending > 0 && held[0].OldestPendingSince is not null, "nothing is held");
        Assert.Equal(0, await app.WithDbAsync(db => db.OutboxDeliveries.CountAsync(d => d.Status == DeliveryStatus.Dead, Ct))); // held, not dead

        receiver.FailureRate = 0;
        await Eventually.ValueAsync(() => Task.FromResult(receiver.Applied.Count), n => n >= 12, () => $"{receiver.Applied.Count} of 12 drained", TimeSpan.FromSeconds(60));
        var applied = receiver.Applied.ToList();
        foreach (var id in customers)
        {
            Assert.Equal(["customer.created", "ticket.created"], applied.Where(e => e.GetProperty("customerId").GetString() == id.ToString("D")).Select(e => e.GetProperty("type").GetString()));
        }
        var kinds = await Eventually.ValueAsync(async () => (await (await client.GetAsync("/api/v1/delivery/alerts", Ct)).ReadAsync<List<DeliveryAlertView>>()).Select(a => a.Kind).ToList(),
            k => k.Count >= 2 && k[^1] == DeliveryAlert.Recovered, () => "no recovered alert", TimeSpan.FromSeconds(15));
        // Holding, then recovered; on a loaded machine answers of attempts sent before the recovery can open the circuit
        // once more, which is alerted as such: the alerts alternate, never two alike in a row, and end recovered.
        Assert.Equal(DeliveryAlert.Holding, kinds[0]);
        Assert.All(kinds.Select((k, i) => (k, i)), a => Assert.Equal(a.i % 2 == 0 ? DeliveryAlert.Holding : DeliveryAlert.Recovered, a.k));
    }

    [Fact]
    public async Task ABackupOnThePrimarysHost_OrABadOne_IsRefused_WithEveryReason()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var response = await client.PostJsonAsync("/api/v1/webhooks", new WebhookInput("x", "https://crm.example.com/a", null, null, null, BackupUrl: "https://crm.example.com/b"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("another host or port", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        response = await client.PostJsonAsync("/api/v1/webhooks", new WebhookInput("x", "https://crm.example.com/a", null, null, null, BackupUrl: "ftp://u:p@backup/#x"));
        var problem = await response.ReadAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("backupUrl", out var __backup));
    }
}
