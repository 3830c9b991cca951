using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Security;
using Switchboard.Core.Telephony;
using Switchboard.Core.WrapUp;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.WrapUp;

public sealed class WrapUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AfterTheCall_TheAgentConfirmsTheDraftedSummary_IntoATicket_TheTimeline_AndTheCompanys(StorageProvider provider)
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var company = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "上海示例科技", Kind = CustomerKind.Company })).ReadAsync<CustomerView>();
        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "张伟", CompanyId = company.Id, ContactPoints = [new() { Value = "13800138000" }],
        })).ReadAsync<CustomerView>();
        var source = await (await admin.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();
        var agent = await app.ClientAsync("agent-7", Role.Agent);
        var other = await app.ClientAsync("agent-8", Role.Agent);
        await CtiAsync(admin, source.Token, """{"event":"newCall","from":"13800138000","direction":"in","callId":"w-1","user":["Emma"]}""");
        await CtiAsync(admin, source.Token, """{"event":"answer","callId":"w-1","user":"Emma","direction":"in"}""");

        // The platform transcribes; a partial segment is replaced by its final version.
        var transcript = new
        {
            segments = new object[]
            {
                new { id = "1", speaker = "customer", start = 0, end = 2000, text = "我想升级", language = "zh-CN", final = false },
                new { id = "2", speaker = "agent", start = 2500, end = 5000, text = "我会安排销售明天给您回电。", language = "zh-CN", final = true },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJsonAsync("/api/v1/calls/pbx/w-1/transcript", transcript)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJsonAsync("/api/v1/calls/pbx/w-1/transcript", new
        {
            segments = new[] { new { id = "1", speaker = "customer", start = 0, end = 2100, text = "我想把软件升级到企业版。", language = "zh-CN", final = true } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJsonAsync("/api/v1/calls/pbx/w-1/transcript", transcript)).StatusCode); // platforms send them
        var bad = await Problem.ReadAsync(await admin.PostJsonAsync("/api/v1/calls/pbx/w-1/transcript", new
        {
            segments = new[] { new { id = "3", speaker = "agent", start = 5, end = 1, text = "", language = "zh-CN", final = true } },
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["segments[0].end", "segments[0].text"], bad.Errors.Keys.Order());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostJsonAsync("/api/v1/calls/pbx/w-1/transcript", new
        {
            segments = new[] { new { id = "3", speaker = "robot", start = 5, end = 10, text = "x", language = "zh-CN", final = true } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostJsonAsync("/api/v1/calls/pbx/no-such-call/transcript", transcript)).StatusCode);

        await CtiAsync(admin, source.Token, """{"event":"hangup","callId":"w-1","cause":"normalClearing","direction":"in"}""");
        var draft = await (await agent.GetAsync("/api/v1/calls/pbx/w-1/wrap-up", Ct)).ReadAsync<WrapUpDraft>();
        Assert.Equal((customer.Id, "张伟"), (draft.CustomerId, draft.CustomerName));
        Assert.Equal("我想把软件升级到企业版。", draft.Summary.Reason);
        Assert.Equal(["我会安排销售明天给您回电。"], draft.Summary.NextSteps);
        Assert.Contains(draft.Dispositions, d => d.Code == "sales_lead");
        Assert.NotNull(draft.EndsAt);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/calls/pbx/w-1/wrap-up", Ct)).StatusCode); // not their call
        Assert.Equal(2, (await (await agent.GetAsync("/api/v1/calls/pbx/w-1/transcript", Ct)).ReadAsync<List<SegmentView>>()).Count);
        // What the customer said, and the draft made of it, are customer data: each read is in the audit trail, with the customer and the call.
        var reads = await app.WithDbAsync(db => db.AuditLog.Where(e => e.Action == Switchboard.Core.Audit.AuditAction.Read && e.RecordType == "transcript" && e.Actor == "agent-7")
            .Select(e => new { e.CustomerId, e.CallId, e.Channel, e.Detail }).ToListAsync(Ct));
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.Equal((customer.Id, "pbx/w-1", Switchboard.Core.Audit.AuditChannel.Rest), (r.CustomerId, r.CallId, r.Channel)));
        Assert.Contains(reads, r => r.Detail.Contains("segments", StringComparison.Ordinal));
        Assert.Contains(reads, r => r.Detail.Contains("openTickets", StringComparison.Ordinal));

        var wrongCode = await Problem.ReadAsync(await agent.PostJsonAsync("/api/v1/calls/pbx/w-1/wrap-up", new WrapUpInput(draft.Summary.Text, "lunch", null, null)), HttpStatusCode.BadRequest);
        Assert.Equal(["disposition"], wrongCode.Errors.Keys);
        var edited = draft.Summary.Text + "\n客户希望周五前收到报价。";
        var result = await (await agent.PostJsonAsync("/api/v1/calls/pbx/w-1/wrap-up", new WrapUpInput(edited, "sales_lead", null, null))).ReadAsync<WrapUpResult>();
        Assert.True(result.TicketCreated);

        var ticket = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == result.TicketId, Ct));
        Assert.Equal(("我想把软件升级到企业版。", "sales_lead", TicketStatus.Open, customer.Id), (ticket.Subject, ticket.Category, ticket.Status, ticket.CustomerId));
        var call = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.Id == result.InteractionId, Ct));
        Assert.Equal((edited, "sales_lead", "pbx/w-1"), (call.Summary, call.Disposition, call.CallId));
        var onCompany = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.Id == result.CompanyInteractionId, Ct));
        Assert.Equal(company.Id, onCompany.CustomerId);
        Assert.StartsWith("张伟: ", onCompany.Summary, StringComparison.Ordinal);
        // What other systems learn, written with the change itself.
        // (The call's timeline entry is written when the call ends, in the background; if the agent confirms first, the
        // wrap-up writes it: an update of it, or its creation, either way an event about that record.)
        var events = await app.WithDbAsync(db => db.OutboxMessages.Where(m => m.CustomerId == customer.Id || m.CustomerId == company.Id)
            .Select(m => new { m.Type, m.RecordId }).ToListAsync(Ct));
        Assert.Contains(events, e => e.Type == "ticket.created" && e.RecordId == result.TicketId);
        Assert.Contains(events, e => e.Type is "interaction.updated" or "call.logged" && e.RecordId == result.InteractionId);
        Assert.Contains(events, e => e.Type == "call.logged" && e.RecordId == result.CompanyInteractionId);

        Assert.Equal("wrapup.already_confirmed", (await Problem.ReadAsync(await agent.PostJsonAsync("/api/v1/calls/pbx/w-1/wrap-up",
            new WrapUpInput(edited, "sales_lead", null, null)), HttpStatusCode.Conflict)).Code);
    }

    [Fact]
    public async Task AFollowUpCall_AddsToTheOpenTicket_AndAResolvingCodeClosesIt()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "Emma Stone", ContactPoints = [new() { Value = "+14155550100" }] })).ReadAsync<CustomerView>();
        var open = await (await admin.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "Wrong billing address" })).ReadAsync<TicketView>();
        var source = await (await admin.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();
        var agent = await app.ClientAsync("agent-7", Role.Agent);
        await CtiAsync(admin, source.Token, """{"event":"newCall","from":"+14155550100","direction":"in","callId":"f-1","user":["Emma"]}""");
        Assert.Equal("wrapup.call_not_ended", (await Problem.ReadAsync(await agent.PostJsonAsync("/api/v1/calls/pbx/f-1/wrap-up",
            new WrapUpInput("x", "resolved", null, null)), HttpStatusCode.Conflict)).Code);
        await CtiAsync(admin, source.Token, """{"event":"answer","callId":"f-1","user":"Emma","direction":"in"}""");
        await CtiAsync(admin, source.Token, """{"event":"hangup","callId":"f-1","cause":"normalClearing","direction":"in"}""");

        var draft = await (await agent.GetAsync("/api/v1/calls/pbx/f-1/wrap-up", Ct)).ReadAsync<WrapUpDraft>();
        Assert.Equal("en", draft.Summary.Language);
        Assert.Equal([open.Id], draft.OpenTickets.Select(t => t.Id));
        var result = await (await agent.PostJsonAsync("/api/v1/calls/pbx/f-1/wrap-up", new WrapUpInput("Address corrected; invoice resent.", "resolved", open.Id, null)))
            .ReadAsync<WrapUpResult>();
        Assert.False(result.TicketCreated);
        Assert.Equal(open.Id, result.TicketId);
        var ticket = await (await admin.GetAsync($"/api/v1/tickets/{open.Id}", Ct)).ReadAsync<TicketView>();
        Assert.Equal((TicketStatus.Resolved, 2L), (ticket.Status, ticket.Version));
        var updates = await (await admin.GetAsync($"/api/v1/tickets/{open.Id}/updates", Ct)).ReadAsync<Switchboard.Core.Common.Page<TicketUpdateView>>();
        Assert.Equal(("agent-7", "Address corrected; invoice resent."), (updates.Items.Single().Author, updates.Items.Single().Body));
    }

    [Fact]
    public async Task ACustomerAskingToUpgrade_GetsAnOpportunityAndATaskForTheirSalesRep_DueTheNextBusinessDay()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        // Rules are checked when saved, every problem by its path, and saved as versions.
        var bad = await Problem.ReadAsync(await admin.PutJsonAsync("/api/v1/follow-up/rules", new
        {
            rules = new object[] { new { name = "x", when = "mood == 'happy'", actions = new object[] { new { type = "task", assign = "lottery" } } } },
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["rules[0].actions[0].assign", "rules[0].actions[0].title", "rules[0].when"], bad.Errors.Keys.Order());
        var rules = new
        {
            rules = new object[]
            {
                new
                {
                    name = "upgrade interest", when = "mentions('upgrade', '升级') && disposition != 'wrong_number'",
                    actions = new object[]
                    {
                        new { type = "opportunity", title = "upgrade" },
                        new { type = "task", title = "Call about the upgrade", assign = "owner", due = "nextBusinessDay" },
                    },
                },
                new { name = "complaints to the desk", when = "disposition == 'complaint'", actions = new object[] { new { type = "notify", team = "complaints" } } },
            },
        };
        using var save = new HttpRequestMessage(HttpMethod.Put, "/api/v1/follow-up/rules") { Content = System.Net.Http.Json.JsonContent.Create(rules) };
        save.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(save, Ct)).StatusCode);
        Assert.Equal(["version"], (await Problem.ReadAsync(await admin.PutJsonAsync("/api/v1/follow-up/rules", rules), HttpStatusCode.BadRequest)).Errors.Keys);
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/follow-up/rules") { Content = System.Net.Http.Json.JsonContent.Create(rules) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(stale, Ct)).StatusCode); // version 1 is in force now

        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "Northwind Ltd", Kind = CustomerKind.Company, OwnerAgentId = "sales-1", ContactPoints = [new() { Value = "+14155550199" }],
        })).ReadAsync<CustomerView>();
        var source = await (await admin.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();
        var agent = await app.ClientAsync("agent-7", Role.Agent);
        var sales = await app.ClientAsync("sales-1", Role.Sales);
        await CtiAsync(admin, source.Token, """{"event":"newCall","from":"+14155550199","direction":"in","callId":"u-1","user":["Emma"]}""");
        await CtiAsync(admin, source.Token, """{"event":"answer","callId":"u-1","user":"Emma","direction":"in"}""");
        await admin.PostJsonAsync("/api/v1/calls/pbx/u-1/transcript", new
        {
            segments = new[] { new { id = "1", speaker = "customer", start = 0, end = 3000, text = "We are thinking about upgrading our product to the enterprise plan.", language = "en-US", final = true } },
        });
        await CtiAsync(admin, source.Token, """{"event":"hangup","callId":"u-1","cause":"normalClearing","direction":"in"}""");
        var draft = await (await agent.GetAsync("/api/v1/calls/pbx/u-1/wrap-up", Ct)).ReadAsync<WrapUpDraft>();
        var result = await (await agent.PostJsonAsync("/api/v1/calls/pbx/u-1/wrap-up", new WrapUpInput(draft.Summary.Text, "sales_lead", null, null))).ReadAsync<WrapUpResult>();

        var opportunity = Assert.Single(result.FollowUps, f => f.Type == "opportunity");
        var task = Assert.Single(result.FollowUps, f => f.Type == "task");
        Assert.Equal(("upgrade", "sales-1"), (opportunity.Title, opportunity.AssigneeAgentId));
        Assert.Equal("sales-1", task.AssigneeAgentId);
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var due = TimeZoneInfo.ConvertTimeFromUtc(task.DueAt!.Value, shanghai);
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, shanghai).Date;
        Assert.Equal(9, due.Hour);
        Assert.True(due.Date > today && due.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && (due.Date - today).TotalDays <= 3, $"due {due:O}");
        Assert.DoesNotContain(result.FollowUps, f => f.Type == "notify"); // the complaint rule did not hold

        // The sales rep sees both in the API: the customer is theirs.
        var theirs = await (await sales.GetAsync($"/api/v1/customers/{customer.Id}/opportunities", Ct)).ReadAsync<Switchboard.Core.Common.Page<OpportunityView>>();
        Assert.Equal(["upgrade"], theirs.Items.Select(o => o.Title));
        var tasks = await (await sales.GetAsync($"/api/v1/customers/{customer.Id}/tasks", Ct)).ReadAsync<Switchboard.Core.Common.Page<FollowUpTaskView>>();
        var made = Assert.Single(tasks.Items);
        Assert.Equal((FollowUpTarget.Opportunity, opportunity.Id), (made.FollowsUpKind!.Value, made.FollowsUpId!.Value));
    }

    private static async Task CtiAsync(HttpClient client, string token, string json) =>
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/cti/{token}", new StringContent(json, Encoding.UTF8, "application/json"), Ct)).StatusCode);
}
