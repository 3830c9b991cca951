using Microsoft.EntityFrameworkCore;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Hosting;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Telephony;

public sealed class ScreenPopTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ARingingCall_PopsTheCallersContextOnThatAgentsDesktop_OncePerLeg(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var company = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "上海示例科技有限公司", Kind = CustomerKind.Company })).ReadAsync<CustomerView>();
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "张伟", Tier = ValueTier.Vip, Tags = ["续约临近"], CompanyId = company.Id, ContactPoints = [new() { Value = "138 0013 8000" }],
        })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "物流延迟", Priority = TicketPriority.High });
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "已解决的问题", Status = TicketStatus.Closed });
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-1", Amount = 88m, Currency = "CNY" });
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, DefaultQueue = "vip",
            Extensions = new Dictionary<string, string> { ["Emma Taylor"] = "agent-7", ["Chris Miller"] = "agent-8" },
        })).ReadAsync<TelephonySourceCredentials>();

        var emma = await DesktopAsync(app, "agent-7");
        var chris = await DesktopAsync(app, "agent-8");

        var newCall = $$"""{"event":"newCall","from":"+86 138-0013-8000","to":"95588","direction":"in","callId":"c-1","user":["Emma Taylor"]}""";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, source.Token, newCall)).StatusCode);
        var pop = await emma.NextAsync();

        Assert.Equal((IdentificationKind.Single, MatchReason.ExactNumber), (pop.Identification.Kind, pop.Identification.Candidates[0].Reason));
        Assert.Equal(("张伟", ValueTier.Vip, "vip", "c-1"), (pop.Customer!.DisplayName, pop.Customer.Tier, pop.Call.Queue, pop.Call.CallId));
        Assert.Equal(["物流延迟"], pop.Customer.OpenTickets.Select(t => t.Subject));
        Assert.Equal(["SO-1"], pop.Customer.RecentOrders.Select(o => o.Number));
        Assert.Equal("上海示例科技有限公司", pop.Customer.CompanyName);

        // The PBX resends newCall, then the call is answered: neither pops again. A transfer pops at the new agent.
        await PostAsync(client, source.Token, newCall);
        await PostAsync(client, source.Token, """{"event":"answer","callId":"c-1","user":"Emma Taylor","direction":"in"}""");
        await PostAsync(client, source.Token, """{"event":"newCall","callId":"c-2","from":"13900000000","direction":"in","user":["Chris Miller"]}""");
        var unknownCaller = await chris.NextAsync();
        Assert.Equal(IdentificationKind.Unknown, unknownCaller.Identification.Kind);
        Assert.Null(unknownCaller.Customer);

        Assert.Single(emma.Received);
        Assert.Single(chris.Received);
        Assert.Equal(2, app.Services.GetRequiredService<ScreenPopDispatcher>().Sent);

        // Showing the customer to agent-7 was a read of customer data: in the trail, with the call and what was shown.
        // The entry commits while the pop is sent (docs/adr/0014): it is there once the dispatcher has moved on.
        Switchboard.Core.Audit.AuditPage reads = new([], null);
        await Eventually.TrueAsync(async () => (reads = await (await client.GetAsync($"/api/v1/audit?customer={customer.Id}&action=read", Ct))
            .ReadAsync<Switchboard.Core.Audit.AuditPage>()).Entries.Count > 0, "the pop's read is not in the trail");
        var read = Assert.Single(reads.Entries); // the unknown caller's pop showed no customer, and read nothing
        Assert.Equal(("agent-7", Switchboard.Core.Audit.AuditChannel.SignalR, "pbx/c-1"), (read.Actor, read.Channel, read.CallId));
        Assert.Contains($"openTickets:{pop.Customer.OpenTickets[0].Id}", read.Detail, StringComparison.Ordinal);
        Assert.Contains($"recentOrders:{pop.Customer.RecentOrders[0].Id}", read.Detail, StringComparison.Ordinal);

        // The call ends: it is on the customer's timeline at once, as an answered inbound call through the vip queue.
        await PostAsync(client, source.Token, """{"event":"hangup","callId":"c-1","cause":"normalClearing","direction":"in"}""");
        await PostAsync(client, source.Token, """{"event":"hangup","callId":"c-2","cause":"cancel","direction":"in"}""");
        var history = app.Services.GetRequiredService<Switchboard.Core.Calls.CallHistoryWriter>();
        await Eventually.TrueAsync(() => history.Written >= 1, "The ended call should be written on the timeline.");
        var calls = await (await client.GetAsync($"/api/v1/customers/{customer.Id}/interactions", Ct)).ReadAsync<Switchboard.Core.Common.Page<InteractionView>>();
        var call = Assert.Single(calls.Items);
        Assert.Equal((InteractionKind.Call, InteractionDirection.Inbound, "agent-7", "vip", Switchboard.Core.Calls.CallOutcome.Answered, "pbx/c-1"),
            (call.Kind, call.Direction, call.AgentId, call.Queue, call.Outcome, call.CallId));
        Assert.NotNull(call.AnsweredAt);
        Assert.NotNull(call.EndedAt);
        var timeline = await client.GetStringAsync($"/api/v1/customers/{customer.Id}/timeline", Ct);
        Assert.Contains("\"status\":\"answered\"", timeline, StringComparison.Ordinal);
        Assert.Equal(1, history.Written); // the unknown caller of c-2 has no timeline to be written on
        await emma.DisposeAsync();
        await chris.DisposeAsync();
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AContextComposedWhenTheCallIsOffered_IsNeverStaleWhenItRings(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var storeLease = store;
        using var appLease = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "刘洋", ContactPoints = [new() { Value = "13700137000" }],
        })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "退款进度" });
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma Taylor"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();
        var contexts = app.Services.GetRequiredService<PopContextCache>();
        var emma = await DesktopAsync(app, "agent-7");

        // Offered (no agent yet): the caller's context is composed ahead.
        await PostAsync(client, source.Token, """{"event":"newCall","from":"13700137000","to":"95588","direction":"in","callId":"c-1"}""");
        await Eventually.TrueAsync(() => contexts.TryGet("13700137000", out _), "The context should be composed when the call is offered.");

        // While the call waits, another agent adds a ticket through the API: the context composed ahead is stale now.
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "发票抬头错误" });
        Assert.False(contexts.TryGet("13700137000", out _));

        // It rings: the pop shows both tickets.
        await PostAsync(client, source.Token, """{"event":"newCall","from":"13700137000","to":"95588","direction":"in","callId":"c-1","user":["Emma Taylor"]}""");
        var pop = await emma.NextAsync();
        Assert.Equal(["发票抬头错误", "退款进度"], pop.Customer!.OpenTickets.Select(t => t.Subject).Order(StringComparer.Ordinal));

        // A change inside a transaction (deleting the customer) makes the context stale once it commits.
        await PostAsync(client, source.Token, """{"event":"newCall","from":"13700137000","to":"95588","direction":"in","callId":"c-2"}""");
        await Eventually.TrueAsync(() => contexts.TryGet("13700137000", out _), "The context should be composed when the call is offered.");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode);
        Assert.False(contexts.TryGet("13700137000", out _));
        await PostAsync(client, source.Token, """{"event":"newCall","from":"13700137000","to":"95588","direction":"in","callId":"c-2","user":["Emma Taylor"]}""");
        Assert.Equal(IdentificationKind.Unknown, (await emma.NextAsync()).Identification.Kind);
        await emma.DisposeAsync();
    }

    [Fact]
    public async Task APopSentWhileTheDesktopsConnectionIsDown_ArrivesWhenItComesBack()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var storeLease = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "赵敏", ContactPoints = [new() { Value = "13600136000" }] });
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma Taylor"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();

        // The desktop reaches the server through a network that is about to drop (WebSockets, stateful reconnect).
        await using var network = new CuttableProxy(client.BaseAddress!.Port);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(network.Address, "/hubs/agent?agent=agent-7"), Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets,
                options => options.Headers["Authorization"] = "Bearer " + SwitchboardApplication.AdminKey)
            .WithStatefulReconnect()
            .AddJsonProtocol(options => HostingExtensions.Configure(options.PayloadSerializerOptions))
            .Build();
        var desktop = new Desktop(connection);
        connection.On<ScreenPopMessage>("ScreenPop", desktop.Receive);
        var closed = false;
        connection.Closed += _ =>
        {
            closed = true;
            return Task.CompletedTask;
        };
        await connection.StartAsync(Ct);
        var connectionsBefore = network.Accepted;

        network.Cut();
        await PostAsync(client, source.Token, """{"event":"newCall","from":"13600136000","to":"95588","direction":"in","callId":"c-1","user":["Emma Taylor"]}""");
        await Eventually.TrueAsync(() => app.Services.GetRequiredService<ScreenPopDispatcher>().Sent == 1, "The pop should be sent.");
        await Task.Delay(200, Ct); // the pop is in the server's buffer; the desktop's reconnect waits at the cut
        Assert.Empty(desktop.Received);
        network.Reopen();

        var pop = await desktop.NextAsync();
        Assert.Equal(("c-1", "赵敏"), (pop.Call.CallId, pop.Customer!.DisplayName));
        Assert.True(network.Accepted > connectionsBefore, "The desktop should have reconnected through the network.");
        Assert.False(closed);
        Assert.Equal(HubConnectionState.Connected, connection.State);
        await Task.Delay(200, Ct);
        Assert.Single(desktop.Received); // replayed once, not twice
        await desktop.DisposeAsync();
    }

    [Fact]
    public async Task TheDemoSimulator_RingsAtOpenDesktops_ThroughTheRealPipeline()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Demo:SimulateCalls"] = "true",
            ["Demo:CallEverySeconds"] = "1",
        });
        await using var _ = store;
        using var __ = app;
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "演示客户", ContactPoints = [new() { Value = "13800138000" }] });

        var desktop = await DesktopAsync(app, "agent-demo");
        var pop = await desktop.NextAsync();

        Assert.Equal(("demo", "agent-demo"), (pop.Call.Source, pop.Call.Agent));
        Assert.True(app.Services.GetRequiredService<Switchboard.Core.Demo.DemoCallSimulator>().Calls >= 1);
        await desktop.DisposeAsync();
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task APop_ShowsTheAgentWhatTheirRoleMaySee_AndOpensThatCustomerToThemAlone(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "李娜", ContactPoints = [new() { Value = "138 0013 8000" }],
        })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "要投诉到消费者协会", IsSensitive = true, Priority = TicketPriority.High });
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-7", Amount = 1299m, Currency = "CNY" });
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma Taylor"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();
        var emmaApi = await app.ClientAsync("agent-7", Switchboard.Core.Security.Role.Agent);
        var chrisApi = await app.ClientAsync("agent-8", Switchboard.Core.Security.Role.Agent);
        Assert.Equal(HttpStatusCode.NotFound, (await emmaApi.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode); // no call yet

        var emma = await DesktopAsync(app, "agent-7");
        await PostAsync(client, source.Token, """{"event":"newCall","from":"+86 138-0013-8000","to":"95588","direction":"in","callId":"c-9","user":["Emma Taylor"]}""");
        var pop = await emma.NextAsync();

        // Shaped for an agent: the number masked, the complaint's subject and the order's amount withheld.
        Assert.Equal("+86 138-****-8000", pop.Call.From);
        Assert.Null(Assert.Single(pop.Customer!.OpenTickets).Subject);
        Assert.True(pop.Customer.OpenTickets[0].IsSensitive);
        Assert.Null(Assert.Single(pop.Customer.RecentOrders).Amount);

        // The call opens the customer to the agent it was offered to, shaped alike; to no one else.
        var opened = await emmaApi.GetAsync($"/api/v1/customers/{customer.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var contact = (await opened.ReadAsync<CustomerView>()).ContactPoints[0];
        Assert.Equal(("138 **** 8000", "+86138****8000"), (contact.Raw, contact.E164)); // as written, masked
        Assert.Equal(HttpStatusCode.OK, (await emmaApi.GetAsync($"/api/v1/customers/{customer.Id}/timeline", Ct)).StatusCode);
        var candidates = await (await emmaApi.GetAsync("/api/v1/identify?source=pbx&callId=c-9", Ct)).ReadAsync<CallerIdentification>();
        Assert.Equal([customer.Id], candidates.Candidates.Select(c => c.CustomerId));
        Assert.Equal(HttpStatusCode.NotFound, (await chrisApi.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await chrisApi.GetAsync("/api/v1/identify?source=pbx&callId=c-9", Ct)).StatusCode);

        // After a restart (or on another node) the audit trail still says who was offered what.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Switchboard.Core.Persistence.SwitchboardDbContext>();
            var fresh = new Switchboard.Core.Security.CustomerAccess(db, new Switchboard.Core.Security.AccessGrants(), TimeProvider.System);
            Assert.True(await fresh.MayOpenAsync(new("agent-7", Switchboard.Core.Security.Role.Agent), customer.Id, Ct));
            Assert.False(await fresh.MayOpenAsync(new("agent-8", Switchboard.Core.Security.Role.Agent), customer.Id, Ct));
        }

        // Another agent finds the customer only by a search that says why; the reason is in the trail, and opens it.
        var unexplained = await chrisApi.GetAsync("/api/v1/customers?name=%E6%9D%8E", Ct);
        Assert.Equal("reason", Assert.Single((await Problem.ReadAsync(unexplained, HttpStatusCode.BadRequest)).Errors.Keys));
        Assert.Equal(HttpStatusCode.BadRequest, (await chrisApi.GetAsync("/api/v1/customers?reason=just%20looking", Ct)).StatusCode); // no criterion: no listing everyone
        var found = await (await chrisApi.GetAsync("/api/v1/customers?name=%E6%9D%8E&reason=%E5%AE%A2%E6%88%B7%E6%9D%A5%E4%BF%A1%E8%A6%81%E6%B1%82%E5%9B%9E%E7%94%B5", Ct)).ReadAsync<Switchboard.Core.Common.Page<CustomerView>>();
        Assert.Equal([customer.Id], found.Items.Select(c => c.Id));
        Assert.Equal(HttpStatusCode.OK, (await chrisApi.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode);
        var searches = await (await client.GetAsync($"/api/v1/audit?customer={customer.Id}&action=search&actor=agent-8", Ct)).ReadAsync<Switchboard.Core.Audit.AuditPage>();
        Assert.Contains("客户来信要求回电", Assert.Single(searches.Entries).Detail, StringComparison.Ordinal);
        await emma.DisposeAsync();
    }

    [Fact]
    public async Task PopReadsLostInACrash_ComeBackFromTheCallJournal_AtTheNextStart_Once()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        Guid customerId;
        // A run whose pop reads never reached the trail (what a crash between sending and committing leaves).
        using (var crashed = new SwitchboardApplication(store, new Dictionary<string, string?> { ["Audit:Enabled"] = "false" }))
        {
            var client = crashed.CreateClient();
            customerId = (await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
            {
                DisplayName = "陈静", ContactPoints = [new() { Value = "13600136000" }],
            })).ReadAsync<CustomerView>()).Id;
            var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
            {
                Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma Taylor"] = "agent-7" },
            })).ReadAsync<TelephonySourceCredentials>();
            var emma = await DesktopAsync(crashed, "agent-7");
            await PostAsync(client, source.Token, """{"event":"newCall","from":"13600136000","direction":"in","callId":"r-1","user":["Emma Taylor"]}""");
            await emma.NextAsync();
            await emma.DisposeAsync();
        }

        Task<List<Switchboard.Core.Audit.AuditEntry>> ReadsAsync(SwitchboardApplication app) => app.WithDbAsync(db => db.AuditLog
            .Where(e => e.CustomerId == customerId && e.Action == Switchboard.Core.Audit.AuditAction.Read).ToListAsync(Ct));
        using (var restarted = new SwitchboardApplication(store))
        {
            restarted.CreateClient();
            await Eventually.TrueAsync(async () => (await ReadsAsync(restarted)).Count > 0, "the lost pop read was not recovered");
            var read = Assert.Single(await ReadsAsync(restarted));
            Assert.Equal(("agent-7", Switchboard.Core.Audit.AuditChannel.SignalR, "pbx/r-1"), (read.Actor, read.Channel, read.CallId));
            Assert.Contains("recovered", read.Detail, StringComparison.Ordinal);
        }
        using (var again = new SwitchboardApplication(store))
        {
            again.CreateClient();
            var recovery = again.Services.GetRequiredService<Switchboard.Core.Audit.PopReadRecovery>();
            Assert.Equal(0, await recovery.RecoverAsync(TimeSpan.FromSeconds(10), Ct)); // already in the trail: nothing twice
            Assert.Single(await ReadsAsync(again));
        }
    }



    [Fact]
    public async Task Connecting_WithoutCredentials_OrAsASystemWithoutAnAgent_IsRefused()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var anonymous = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/agent?agent=agent-7"), options =>
            {
                options.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            })
            .Build();
        var unauthorized = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync(Ct));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        await anonymous.DisposeAsync();

        var connection = app.AgentHub("");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync(Ct);
            // The handshake may finish before the hub refuses the connection; then the server closes it at once.
            var reason = await closed.Task.WaitAsync(Patience, Ct);
            Assert.Contains("?agent=", reason?.Message ?? "", StringComparison.Ordinal);
        }
        catch (Microsoft.AspNetCore.SignalR.HubException refused)
        {
            Assert.Contains("?agent=", refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        await connection.DisposeAsync();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string json) =>
        client.PostAsync($"/api/v1/cti/{token}", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static async Task<Desktop> DesktopAsync(SwitchboardApplication app, string agent)
    {
        var connection = app.AgentHub(agent);
        var desktop = new Desktop(connection);
        connection.On<ScreenPopMessage>("ScreenPop", desktop.Receive);
        await connection.StartAsync(Ct);
        return desktop;
    }

    private sealed class Desktop(HubConnection connection) : IAsyncDisposable
    {
        private readonly BlockingCollection<ScreenPopMessage> _inbox = [];

        public ConcurrentQueue<ScreenPopMessage> Received { get; } = new();

        public void Receive(ScreenPopMessage pop)
        {
            Received.Enqueue(pop);
            _inbox.Add(pop);
        }

        public async Task<ScreenPopMessage> NextAsync() =>
            await Task.Run(() => _inbox.TryTake(out var pop, (int)Patience.TotalMilliseconds, Ct) ? pop : throw new TimeoutException("No pop arrived."), Ct);

        public async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            _inbox.Dispose();
        }
    }
}
