using System.Net;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

public sealed class CustomerRecordsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task EveryRecordType_CanBeCreatedReadReplacedListedAndDeleted(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "Acme Ltd", Kind = CustomerKind.Company })).ReadAsync<CustomerView>();
        var due = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

        await RoundTripAsync<ContactPointInput, ContactPointView>(client, customer.Id, "contact-points",
            new() { Kind = ContactKind.Switchboard, Value = "+86 21 5555 0100" }, v => v.E164 == "+862155550100",
            new() { Kind = ContactKind.Switchboard, Value = "+86 21 5555 0199" }, v => v.E164 == "+862155550199");
        await RoundTripAsync<OrderInput, OrderView>(client, customer.Id, "orders",
            new() { Number = "SO-1", Amount = 1288.50m, Currency = "CNY", PlacedAt = due }, v => v.Amount == 1288.50m && v.PlacedAt == due.UtcDateTime,
            new() { Number = "SO-1", Amount = 1288.50m, Currency = "CNY", Status = OrderStatus.Shipped }, v => v.Status == OrderStatus.Shipped);
        await RoundTripAsync<TicketInput, TicketView>(client, customer.Id, "tickets",
            new() { Subject = "投诉：物流延迟", Category = "complaint", IsSensitive = true }, v => v.IsSensitive && v.Number.StartsWith("TK-", StringComparison.Ordinal),
            new() { Subject = "投诉：物流延迟", Status = TicketStatus.Resolved }, v => v.Status == TicketStatus.Resolved && !v.IsSensitive);
        await RoundTripAsync<OpportunityInput, OpportunityView>(client, customer.Id, "opportunities",
            new() { Title = "Upgrade", Currency = "CNY", Amount = 50_000m, OwnerAgentId = "agent-9" }, v => v.Stage == OpportunityStage.Qualification,
            new() { Title = "Upgrade", Currency = "CNY", Stage = OpportunityStage.Won }, v => v.Stage == OpportunityStage.Won && v.Amount == 0m);
        await RoundTripAsync<FollowUpTaskInput, FollowUpTaskView>(client, customer.Id, "tasks",
            new() { Title = "Send quote", AssigneeTeam = "sales", DueAt = due }, v => v.DueAt == due.UtcDateTime && v.Status == FollowUpStatus.Open,
            new() { Title = "Send quote", AssigneeAgentId = "agent-9", DueAt = due, Status = FollowUpStatus.Done }, v => v.AssigneeAgentId == "agent-9" && v.AssigneeTeam is null);
        await RoundTripAsync<InteractionInput, InteractionView>(client, customer.Id, "interactions",
            new() { Kind = InteractionKind.Call, Direction = InteractionDirection.Inbound, StartedAt = due, CallId = "pbx-1" }, v => v.Kind == InteractionKind.Call,
            new() { Kind = InteractionKind.Call, Direction = InteractionDirection.Inbound, StartedAt = due, Summary = "Asked about an upgrade" }, v => v.Summary == "Asked about an upgrade");
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Orders_WithATakenNumberOrExternalId_Are409(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "x" })).ReadAsync<CustomerView>();
        var url = $"/api/v1/customers/{customer.Id}/orders";
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync(url, new OrderInput { Number = "SO-1", Amount = 1, Currency = "CNY", ExternalIds = [new("erp", "1")] })).StatusCode);

        Assert.Equal(ErrorCodes.Duplicate, (await Problem.ReadAsync(await client.PostJsonAsync(url, new OrderInput { Number = "SO-1", Amount = 1, Currency = "CNY" }), HttpStatusCode.Conflict)).Code);
        Assert.Equal(ErrorCodes.Duplicate, (await Problem.ReadAsync(await client.PostJsonAsync(url, new OrderInput { Number = "SO-2", Amount = 1, Currency = "CNY", ExternalIds = [new("ERP", "1")] }), HttpStatusCode.Conflict)).Code);
        var invalid = await Problem.ReadAsync(await client.PostJsonAsync(url, new OrderInput { Number = "SO-3", Amount = -1, Currency = "yuan" }), HttpStatusCode.BadRequest);
        Assert.Equal(["amount", "currency"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Timeline_MergesEveryKindNewestFirst_AndPagesByTime(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "x" })).ReadAsync<CustomerView>();
        var day = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-9", Amount = 99m, Currency = "CNY", PlacedAt = day });
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/interactions", new InteractionInput { Kind = InteractionKind.Call, StartedAt = day.AddDays(2), Summary = "asked about delivery" });
        var ticket = await (await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "Late delivery" })).ReadAsync<TicketView>();
        var update = await client.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/updates", new TicketUpdateInput("agent-1", "Courier contacted.", false));
        Assert.Equal(HttpStatusCode.Created, update.StatusCode);
        var ticketNow = await (await client.GetAsync($"/api/v1/tickets/{ticket.Id}", Ct)).ReadAsync<TicketView>();
        Assert.Equal(2, ticketNow.Version);

        var timeline = await (await client.GetAsync($"/api/v1/customers/{customer.Id}/timeline", Ct)).ReadAsync<List<TimelineEntry>>();
        Assert.Equal(["ticket_update", "ticket", "call", "order"], timeline.Select(e => e.Type));
        Assert.True(timeline.Zip(timeline.Skip(1)).All(p => p.First.At >= p.Second.At));
        Assert.Equal(("SO-9", 99m, "CNY"), (timeline[^1].Title, timeline[^1].Amount, timeline[^1].Currency));
        Assert.Equal(("asked about delivery", "Courier contacted."), (timeline[2].Detail, timeline[0].Detail));

        var before = Uri.EscapeDataString(timeline[2].At.ToString("O"));
        var older = await (await client.GetAsync($"/api/v1/customers/{customer.Id}/timeline?before={before}", Ct)).ReadAsync<List<TimelineEntry>>();
        Assert.Equal(["order"], older.Select(e => e.Type));
    }

    private static async Task RoundTripAsync<TInput, TView>(
        HttpClient client, Guid customerId, string segment, TInput create, Func<TView, bool> created, TInput replace, Func<TView, bool> replaced)
        where TView : IRecordView
    {
        var post = await client.PostJsonAsync($"/api/v1/customers/{customerId}/{segment}", create);
        Assert.True(post.StatusCode == HttpStatusCode.Created, $"{segment}: {await post.Content.ReadAsStringAsync(Ct)}");
        var view = await post.ReadAsync<TView>();
        Assert.True(created(view), $"{segment} as created: {await post.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(view.Id, (await (await client.GetAsync($"/api/v1/{segment}/{view.Id}", Ct)).ReadAsync<TView>()).Id);

        var put = await client.PutJsonAsync($"/api/v1/{segment}/{view.Id}", replace);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode); // no version named
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/{segment}/{view.Id}")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(replace, SwitchboardApplication.Json), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var replacedResponse = await client.SendAsync(request, Ct);
        Assert.True(replacedResponse.StatusCode == HttpStatusCode.OK, $"{segment}: {await replacedResponse.Content.ReadAsStringAsync(Ct)}");
        var after = await replacedResponse.ReadAsync<TView>();
        Assert.True(replaced(after), $"{segment} as replaced");
        Assert.Equal(2, after.Version);

        var list = await (await client.GetAsync($"/api/v1/customers/{customerId}/{segment}", Ct)).ReadAsync<Page<TView>>();
        Assert.Contains(list.Items, v => v.Id == view.Id);

        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(DeleteWithVersion($"/api/v1/{segment}/{view.Id}", 1), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(DeleteWithVersion($"/api/v1/{segment}/{view.Id}", 2), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/{segment}/{view.Id}", Ct)).StatusCode);
    }

    private static HttpRequestMessage DeleteWithVersion(string url, long version)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, url);
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return request;
    }
}
