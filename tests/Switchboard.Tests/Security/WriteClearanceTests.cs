using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Security;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Security;

/// <summary>No blind writes: a role does not write what it may not read (amounts, a complaint's text), nor name owners it may not name.</summary>
public sealed class WriteClearanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAgent_LogsComplaintsAndOpportunities_ButWritesNoAmounts_AndRewritesNoComplaint()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "周杰", OwnerAgentId = "agent-1" })).ReadAsync<CustomerView>();
        var agent = await app.ClientAsync("agent-1", Role.Agent);
        var senior = await app.ClientAsync("senior-1", Role.SeniorAgent);

        var order = await Problem.ReadAsync(await agent.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders",
            new OrderInput { Number = "SO-1", Amount = 10m, Currency = "CNY" }), HttpStatusCode.Forbidden);
        Assert.Equal(("field.forbidden", "amount"), (order.Code, Assert.Single(order.Errors.Keys)));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJsonAsync($"/api/v1/customers/{customer.Id}/opportunities",
            new OpportunityInput { Title = "升级", Currency = "CNY", Amount = 5000m })).StatusCode);
        Assert.Equal(["ownerAgentId"], (await Problem.ReadAsync(await agent.PostJsonAsync($"/api/v1/customers/{customer.Id}/opportunities",
            new OpportunityInput { Title = "升级", Currency = "CNY", OwnerAgentId = "agent-1" }), HttpStatusCode.Forbidden)).Errors.Keys);
        var opportunity = await (await agent.PostJsonAsync($"/api/v1/customers/{customer.Id}/opportunities",
            new OpportunityInput { Title = "升级", Currency = "CNY" })).ReadAsync<OpportunityView>();
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutJsonAsync($"/api/v1/opportunities/{opportunity.Id}",
            new OpportunityInput { Title = "升级到企业版", Currency = "CNY", Version = 1 })).StatusCode); // a replace would reset the amount it cannot see

        var complaint = await (await agent.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets",
            new TicketInput { Subject = "投诉：多次扣费", IsSensitive = true })).ReadAsync<TicketView>();
        Assert.Null(complaint.Subject); // logged, and then withheld from the agent like any complaint
        Assert.Equal(["subject"], (await Problem.ReadAsync(await agent.PutJsonAsync($"/api/v1/tickets/{complaint.Id}",
            new TicketInput { Subject = "已处理", IsSensitive = false, Version = 1 }), HttpStatusCode.Forbidden)).Errors.Keys);
        Assert.Equal(HttpStatusCode.Created, (await agent.PostJsonAsync($"/api/v1/tickets/{complaint.Id}/updates",
            new TicketUpdateInput("agent-1", "客户补充了账单截图", false))).StatusCode);
        var stored = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == complaint.Id, Ct));
        Assert.Equal(("投诉：多次扣费", true), (stored.Subject, stored.IsSensitive));

        // A senior agent, cleared for both, writes them (after a search that says why).
        Assert.Equal(HttpStatusCode.OK, (await senior.GetAsync("/api/v1/customers?name=%E5%91%A8&reason=escalated%20complaint", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await senior.PutJsonAsync($"/api/v1/tickets/{complaint.Id}",
            new TicketInput { Subject = "投诉：多次扣费（已退款）", IsSensitive = true, Version = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await senior.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders",
            new OrderInput { Number = "SO-2", Amount = 10m, Currency = "CNY" })).StatusCode);
    }
}
