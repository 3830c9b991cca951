using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Security;
using Switchboard.Core.Speech;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Hosting;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Speech;

/// <summary>Live speech analytics through the real pipeline: rules saved by a supervisor, a call's transcript, cards, alerts, escalation, feedback, the report.</summary>
public sealed class SpeechAnalyticsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static object Rules => new
    {
        rules = new object[]
        {
            new
            {
                id = "competitor", name = "Caller names a competitor",
                when = new object[] { new { said = new[] { "优品汇", "BetterBank" }, by = "customer" } },
                actions = new object[]
                {
                    new { type = "script", title = "对比话术", body = "我们的年费更低，且提供24小时人工服务。" },
                    new { type = "tag", tag = "competitor" },
                },
            },
            new
            {
                id = "regulator", name = "Complaint to the regulator",
                when = new object[] { new { said = new[] { "银保监会", "lawyer", "律师" }, by = "customer" } },
                actions = new object[] { new { type = "warning", title = "风险提示", body = "请安抚客户并记录诉求。" }, new { type = "alertSupervisor", body = "监管投诉风险" } },
            },
            new
            {
                id = "upset", name = "Customer upset",
                when = new object[] { new { sentiment = new { below = -0.3, forSeconds = 10 }, by = "customer" }, new { facts = "known" } },
                actions = new object[] { new { type = "escalate", group = "senior" }, new { type = "tag", tag = "escalated" } },
            },
            new
            {
                id = "greeting", name = "No greeting",
                when = new object[] { new { notSaid = new[] { "感谢来电", "thank you for calling" }, by = "agent", first = 10 } },
                actions = new object[] { new { type = "tag", tag = "no-greeting" } },
            },
        },
    };

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TheCallerNamesACompetitor_AndGrowsUpset_CardsAlertsAndAnEscalationFollow(StorageProvider provider)
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var supervisor = await app.ClientAsync("sup-1", Role.Supervisor);
        var agentClient = await app.ClientAsync("agent-7", Role.Agent);
        var otherAgent = await app.ClientAsync("agent-8", Role.Agent);

        // Rules are versioned like the follow-up rules: If-Match names the version replaced; every problem is named.
        Assert.Equal(HttpStatusCode.Forbidden, (await agentClient.PutJsonAsync("/api/v1/speech/rules", Rules)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.PutJsonAsync("/api/v1/speech/rules", Rules)).StatusCode); // no If-Match
        var invalid = await Problem.ReadAsync(await Put(supervisor, new { rules = new object[] { new { id = "x", name = "x", when = new object[] { new { said = new[] { "a*b" } } }, actions = new object[] { new { type = "call-mom" } } } } }, 0),
            HttpStatusCode.BadRequest);
        Assert.Equal(["rules[0].actions[0].type", "rules[0].when[0].said[0]"], invalid.Errors.Keys.Order());
        Assert.Equal(HttpStatusCode.OK, (await Put(supervisor, Rules, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Put(supervisor, Rules, 0)).StatusCode);
        var saved = await (await supervisor.GetAsync("/api/v1/speech/rules", Ct)).ReadAsync<SpeechRulesView>();
        Assert.Equal((1, 4, "sup-1"), (saved.Version, saved.Document.Rules!.Count, saved.SavedBy));

        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", ContactPoints = [new() { Value = "13900139000" }] })).ReadAsync<CustomerView>();
        var open = await (await admin.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "信用卡年费" })).ReadAsync<TicketView>();
        var source = await (await admin.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();

        await using var desktop = app.AgentHub("agent-7");
        var cards = new ConcurrentQueue<SpeechCard>();
        desktop.On<SpeechCard>("SpeechCard", cards.Enqueue);
        await desktop.StartAsync(Ct);
        await using var board = SupervisorHub(app);
        var alerts = new ConcurrentQueue<SpeechAlert>();
        board.On<SpeechAlert>("SpeechAlert", alerts.Enqueue);
        await board.StartAsync(Ct);

        await CtiAsync(admin, source.Token, """{"event":"newCall","from":"13900139000","direction":"in","callId":"s-1","user":["Emma"]}""");
        await CtiAsync(admin, source.Token, """{"event":"answer","callId":"s-1","user":"Emma","direction":"in"}""");

        // The caller names a competitor: the script card reaches the agent's desktop; the answer says what fired.
        var first = await (await admin.PostJsonAsync("/api/v1/calls/pbx/s-1/transcript", Segments(
            ("1", "agent", 0, "您好，请问有什么可以帮您？"), ("2", "customer", 3_000, "我在優品匯看到的年费比你们便宜多了。")))).ReadAsync<TranscriptAcceptedView>();
        var competitor = Assert.Single(first.Fired);
        Assert.Equal(("competitor", "優品匯"), (competitor.Rule, Assert.Single(competitor.Evidence)));
        await Eventually.TrueAsync(() => cards.Any(c => c.RuleId == "competitor"), "The script card should reach the desktop.");
        var script = cards.Single(c => c.RuleId == "competitor");
        Assert.Equal(("script", "对比话术", "s-1"), (script.Kind, script.Title, script.CallId));

        // The agent never greeted within 10 s (decided when the window closes), and the caller grows upset: an escalation.
        var angry = await (await admin.PostJsonAsync("/api/v1/calls/pbx/s-1/transcript", Segments(
            ("3", "customer", 11_000, "你们的服务太差了，气死我了！"), ("4", "agent", 14_000, "非常抱歉给您带来不便。"),
            ("5", "customer", 17_000, "我非常不满意，简直忍无可忍！"), ("6", "customer", 23_000, "太失望了，我要投诉，我要找律师！")))).ReadAsync<TranscriptAcceptedView>();
        Assert.Equal(["greeting", "regulator", "upset"], angry.Fired.Select(f => f.Rule).Order());
        Assert.All(angry.Fired, f => Assert.NotEmpty(f.Evidence));
        await Eventually.TrueAsync(() => alerts.Count >= 2 && cards.Any(c => c.Kind == "escalation"), "The supervisor should be alerted and the agent offered a transfer.");
        var escalation = cards.Single(c => c.Kind == "escalation");
        Assert.Equal("senior", escalation.TransferTo);
        Assert.Contains("律师", escalation.Context, StringComparison.Ordinal);
        Assert.Contains(alerts, a => a.RuleId == "regulator" && a.Message == "监管投诉风险" && a.Agent == "agent-7");
        var escalated = Assert.Single(alerts, a => a.RuleId == "upset");
        Assert.True(escalated.CustomerSentiment < -0.3);

        // The escalation is on the customer's open ticket: now urgent, with an internal note for the receiving agent.
        var ticket = await app.WithDbAsync(db => db.Tickets.Include(t => t.Updates).SingleAsync(t => t.Id == open.Id, Ct));
        Assert.Equal(TicketPriority.Urgent, ticket.Priority);
        var note = Assert.Single(ticket.Updates);
        Assert.True(note.IsInternal);
        Assert.Equal("speech:upset", note.Author);
        Assert.Equal(escalated.TicketNumber, ticket.Number);

        // What the rules made of the call, for its agent (and audited); not for another agent.
        var view = await (await agentClient.GetAsync("/api/v1/calls/pbx/s-1/speech", Ct)).ReadAsync<CallSpeechView>();
        Assert.Equal(["competitor", "greeting", "regulator", "upset"], view.Firings.Select(f => f.Rule).Order());
        Assert.Equal(["competitor", "escalated", "no-greeting"], view.Tags);
        Assert.True(view.Sentiment.Customer < 0);
        Assert.Equal(6, view.Sentiment.Points.Count);
        Assert.All(view.Firings.Where(f => f.Rule is "competitor" or "regulator" or "upset"), f => Assert.True(f.Shown));
        Assert.Equal(HttpStatusCode.NotFound, (await otherAgent.GetAsync("/api/v1/calls/pbx/s-1/speech", Ct)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditLog.AnyAsync(e => e.Actor == "agent-7" && e.RecordType == "transcript" && e.Detail.Contains("firings"), Ct)));

        // The agent marks the script useful; another agent cannot; the verdict needs a value.
        var fired = view.Firings.Single(f => f.Rule == "competitor");
        Assert.Equal(HttpStatusCode.NotFound, (await otherAgent.PostJsonAsync($"/api/v1/speech/firings/{fired.Id}/feedback", new { useful = true })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agentClient.PostJsonAsync($"/api/v1/speech/firings/{fired.Id}/feedback", new { })).StatusCode);
        Assert.True((await (await agentClient.PostJsonAsync($"/api/v1/speech/firings/{fired.Id}/feedback", new { useful = true })).ReadAsync<CallFiringView>()).Useful);

        // The same final segment sent again (a retry) is not heard twice; the call ends; the report counts per rule.
        Assert.Empty((await (await admin.PostJsonAsync("/api/v1/calls/pbx/s-1/transcript", Segments(("2", "customer", 3_000, "我在優品匯看到的年费比你们便宜多了。"))))
            .ReadAsync<TranscriptAcceptedView>()).Fired);
        await CtiAsync(admin, source.Token, """{"event":"hangup","callId":"s-1","cause":"normalClearing","direction":"in"}""");
        var report = await (await supervisor.GetAsync("/api/v1/speech/report", Ct)).ReadAsync<List<RuleOutcomeView>>();
        var outcome = report.Single(r => r.Rule == "competitor");
        Assert.Equal((1, 1, 1, 1, 0), (outcome.Fired, outcome.Calls, outcome.Shown, outcome.Useful, outcome.NotUseful));
        Assert.Equal(4, report.Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentClient.GetAsync("/api/v1/speech/report", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync("/api/v1/speech/report?from=2026-11-20&to=2026-11-10", Ct)).StatusCode);
    }

    [Fact]
    public async Task ADryRun_SaysWhatWouldFire_OnWhichWords_AndWritesNothing()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var fired = await (await admin.PostJsonAsync("/api/v1/speech/rules/test", new
        {
            rules = Rules,
            segments = new object[]
            {
                new { speaker = "agent", start = 0, end = 2_000, text = "Thank you for calling, how can I help?", language = "en" },
                new { speaker = "customer", start = 3_000, end = 6_000, text = "BetterBank offered me a lower rate. I will talk to my LAWYERS.", language = "en" },
            },
            endAt = 60_000,
        })).ReadAsync<List<FiringView>>();
        Assert.Equal([("competitor", "BetterBank"), ("regulator", "LAWYERS")], fired.Select(f => (f.Rule, f.Evidence.Single())));
        Assert.Equal(0, await app.WithDbAsync(db => db.RuleFirings.CountAsync(Ct)));
        var bad = await Problem.ReadAsync(await admin.PostJsonAsync("/api/v1/speech/rules/test", new { segments = new object[] { new { speaker = "agent", start = 5, end = 1, text = "" } } }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["segments[0].start", "segments[0].text"], bad.Errors.Keys.Order());
        var robot = await Problem.ReadAsync(await admin.PostJsonAsync("/api/v1/speech/rules/test", new { segments = new object[] { new { speaker = "robot", start = 5, end = 10, text = "x" } } }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["segments[0].speaker"], robot.Errors.Keys);
    }

    [Fact]
    public async Task HostileRuleDocuments_AreRefused_WithAProblem()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var many = new { rules = Enumerable.Range(0, 2_001).Select(i => new { id = $"r{i}", name = "r", when = new object[] { new { said = new[] { "x" } } }, actions = new object[] { new { type = "tag", tag = "t" } } }) };
        Assert.Equal("rules", Assert.Single((await Problem.ReadAsync(await Put(admin, many, 0), HttpStatusCode.BadRequest)).Errors.Keys));
        var malformed = new HttpRequestMessage(HttpMethod.Put, "/api/v1/speech/rules") { Content = new StringContent("{\"rules\": [ {\"id\": ", Encoding.UTF8, "application/json") };
        malformed.Headers.IfMatch.ParseAdd("\"0\"");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(malformed, Ct)).StatusCode);
        var injection = await Problem.ReadAsync(await Put(admin, new { rules = new object[] { new { id = "f", name = "f", when = new object[] { new { said = new[] { "x" } }, new { facts = "System.IO.File.Delete('x')" } }, actions = new object[] { new { type = "tag", tag = "t" } } } } }, 0),
            HttpStatusCode.BadRequest);
        Assert.Contains("rules[0].when[1].facts", injection.Errors.Keys);
        var nulls = await Problem.ReadAsync(await Put(admin, new { rules = new object?[] { null, new { id = "n", name = "n", when = new object?[] { null }, actions = new object?[] { null } } } }, 0),
            HttpStatusCode.BadRequest);
        Assert.Equal(["rules[0]", "rules[1].actions[0]", "rules[1].when[0]"], nulls.Errors.Keys.Order());
        Assert.Equal(["segments[0]"], (await Problem.ReadAsync(await admin.PostJsonAsync("/api/v1/speech/rules/test", new { segments = new object?[] { null } }),
            HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(0, await app.WithDbAsync(db => db.SpeechRuleSets.CountAsync(Ct)));
    }

    internal static object Segments(params (string Id, string Speaker, int Start, string Text)[] segments) => new
    {
        segments = segments.Select(s => new { id = s.Id, speaker = s.Speaker, start = s.Start, end = s.Start + 2_500, text = s.Text, language = "zh-CN", final = true }),
    };

    internal static Task<HttpResponseMessage> Put(HttpClient client, object document, int ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/speech/rules") { Content = System.Net.Http.Json.JsonContent.Create(document) };
        request.Headers.IfMatch.ParseAdd($"\"{ifMatch}\"");
        return client.SendAsync(request, Ct);
    }

    internal static HubConnection SupervisorHub(SwitchboardApplication app) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/supervisor"), options =>
            {
                options.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                options.Headers["Authorization"] = "Bearer " + SwitchboardApplication.AdminKey;
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(options => HostingExtensions.Configure(options.PayloadSerializerOptions))
            .Build();

    internal static async Task CtiAsync(HttpClient client, string token, string json) =>
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/cti/{token}", new StringContent(json, Encoding.UTF8, "application/json"), Ct)).StatusCode);

    internal sealed record TranscriptAcceptedView(int Changed, List<FiringView> Fired);
}
