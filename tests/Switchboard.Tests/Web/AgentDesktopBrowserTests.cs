using System.Net;
using System.Text;
using Microsoft.Playwright;
using Switchboard.Core.Customers;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Web;

/// <summary>The agent desktop in real Chromium (Debian's, at /usr/bin/chromium; scripts/test.sh installs it).</summary>
public sealed class AgentDesktopBrowserTests
{
    private const string Chromium = BrowserSession.Chromium;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAgentSignsIn_ASignedWebhookAnnouncesACall_AndThePopShowsTheCustomerAndOpenTickets()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (scripts/test.sh installs Debian's chromium).");
        }
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();
        var baseUrl = client.BaseAddress!;

        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "张伟", Tier = ValueTier.Vip, ContactPoints = [new() { Value = "138 0013 8000" }],
        })).ReadAsync<CustomerView>();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "物流延迟" })).StatusCode);
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = "cc", Kind = TelephonySourceKind.Generic }))
            .ReadAsync<TelephonySourceCredentials>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(baseUrl, "/desktop/").ToString());
        // Signing in takes the agent's password: a wrong one is refused, the right one opens the desk.
        await BrowserSession.AddUserAsync(app, "agent-7", Switchboard.Core.Security.Role.Agent);
        await page.GetByTestId("agent-id").FillAsync("agent-7");
        await page.GetByTestId("password").FillAsync("not the password");
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sign-in-error")).ToBeVisibleAsync();
        await page.GetByTestId("password").FillAsync(BrowserSession.Password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("在线");
        await Assertions.Expect(page.GetByTestId("idle")).ToBeVisibleAsync();

        // Signed in means away (not ready) until the agent says otherwise; the supervisor's API agrees.
        await Assertions.Expect(page.GetByTestId("presence-away")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.GetByTestId("presence-available").ClickAsync();
        await Assertions.Expect(page.GetByTestId("presence-available")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.GetByTestId("presence-since")).ToContainTextAsync("空闲可接听");
        Assert.Contains("\"agentId\":\"agent-7\",\"status\":\"available\"", await client.GetStringAsync("/api/v1/agents/presence", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // The contact center announces the call, signed as any source must; it rings at agent-7.
        Assert.Equal(HttpStatusCode.OK, (await SendSignedAsync(client, source, """{"callId":"b-1","eventId":"1","kind":"offered","from":"+86 138-0013-8000","direction":"inbound"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendSignedAsync(client, source, """{"callId":"b-1","eventId":"2","kind":"ringing","agent":"agent-7"}""")).StatusCode);

        await Assertions.Expect(page.GetByTestId("pop-name")).ToHaveTextAsync("张伟");
        await Assertions.Expect(page.GetByTestId("pop-tier")).ToHaveTextAsync("VIP");
        await Assertions.Expect(page.GetByTestId("pop-tickets")).ToContainTextAsync("物流延迟");
        await Assertions.Expect(page.GetByTestId("pop-why")).ToHaveTextAsync("来电号码属于该客户。");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("张伟");

        // The same pop, read in English.
        await page.Locator("#language").SelectOptionAsync("en");
        await Assertions.Expect(page.GetByTestId("pop-tickets")).ToContainTextAsync("Open tickets");
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Online");
        await Assertions.Expect(page.GetByTestId("pop-why")).ToHaveTextAsync("The number is this customer's.");

        // An unknown caller: the agent makes a lead of them in one action, and the pop becomes theirs.
        Assert.Equal(HttpStatusCode.OK, (await SendSignedAsync(client, source, """{"callId":"b-2","eventId":"1","kind":"offered","from":"13700137000","direction":"inbound"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendSignedAsync(client, source, """{"callId":"b-2","eventId":"2","kind":"ringing","agent":"agent-7"}""")).StatusCode);
        await Assertions.Expect(page.GetByTestId("pop-name")).ToHaveTextAsync("Unknown number");
        await page.GetByTestId("lead-name").FillAsync("New Lead <b>Ltd</b>");
        await page.GetByTestId("create-lead").ClickAsync();
        await Assertions.Expect(page.GetByTestId("pop-name")).ToHaveTextAsync("New Lead <b>Ltd</b>");
        var leads = await (await client.GetAsync("/api/v1/customers?phone=13700137000", Ct)).ReadAsync<Switchboard.Core.Common.Page<CustomerView>>();
        Assert.Equal(("New Lead <b>Ltd</b>", LifecycleStage.Lead), (leads.Items.Single().DisplayName, leads.Items.Single().Lifecycle));
    }

    [Fact]
    public async Task TheAgentsPop_HidesTheComplaintAndMasksTheNumber_TheManagersShowsEverything()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (scripts/test.sh installs Debian's chromium).");
        }
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();
        var baseUrl = client.BaseAddress!;
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "李娜", ContactPoints = [new() { Value = "138 0013 8000" }],
        })).ReadAsync<CustomerView>();
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/tickets", new TicketInput { Subject = "向消费者协会投诉", IsSensitive = true, Number = "TK-COMPLAINT" });
        await client.PostJsonAsync($"/api/v1/customers/{customer.Id}/orders", new OrderInput { Number = "SO-77", Amount = 1299m, Currency = "CNY" });
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = "cc", Kind = TelephonySourceKind.Generic }))
            .ReadAsync<TelephonySourceCredentials>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var agent = await DeskAsync(browser, app, baseUrl, "agent-7", Switchboard.Core.Security.Role.Agent);
        var manager = await DeskAsync(browser, app, baseUrl, "manager-1", Switchboard.Core.Security.Role.Manager);

        Assert.Equal(HttpStatusCode.OK, (await SendSignedAsync(client, source, """{"callId":"m-1","eventId":"1","kind":"ringing","from":"+86 138-0013-8000","direction":"inbound","agent":"agent-7"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendSignedAsync(client, source, """{"callId":"m-2","eventId":"1","kind":"ringing","from":"+86 138-0013-8000","direction":"inbound","agent":"manager-1"}""")).StatusCode);

        await Assertions.Expect(agent.GetByTestId("pop-name")).ToHaveTextAsync("李娜");
        await Assertions.Expect(agent.GetByTestId("pop-call")).ToContainTextAsync("+86 138-****-8000");
        await Assertions.Expect(agent.GetByTestId("pop-tickets")).ToContainTextAsync("TK-COMPLAINT · 无权查看");
        await Assertions.Expect(agent.GetByTestId("pop-orders")).ToContainTextAsync("SO-77 · 无权查看");
        Assert.DoesNotContain("消费者协会", await agent.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("0013", await agent.ContentAsync(), StringComparison.Ordinal);

        await Assertions.Expect(manager.GetByTestId("pop-name")).ToHaveTextAsync("李娜");
        await Assertions.Expect(manager.GetByTestId("pop-call")).ToContainTextAsync("+86 138-0013-8000");
        await Assertions.Expect(manager.GetByTestId("pop-tickets")).ToContainTextAsync("向消费者协会投诉");
        await Assertions.Expect(manager.GetByTestId("pop-orders")).ToContainTextAsync("1299");
    }

    [Fact]
    public async Task WhenTheCallEnds_TheDeskOpensTheDraftedSummary_AndTheAgentConfirmsItIntoATicket()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (scripts/test.sh installs Debian's chromium).");
        }
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();
        var customer = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = "王芳", ContactPoints = [new() { Value = "13900139000" }],
        })).ReadAsync<CustomerView>();
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = "cc", Kind = TelephonySourceKind.Generic }))
            .ReadAsync<TelephonySourceCredentials>();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await DeskAsync(browser, app, client.BaseAddress!, "agent-7", Switchboard.Core.Security.Role.Agent);

        await SendSignedAsync(client, source, """{"callId":"wu-1","eventId":"1","kind":"ringing","from":"13900139000","direction":"inbound","agent":"agent-7"}""");
        await Assertions.Expect(page.GetByTestId("pop-name")).ToHaveTextAsync("王芳");
        await SendSignedAsync(client, source, """{"callId":"wu-1","eventId":"2","kind":"answered","agent":"agent-7"}""");
        await client.PostJsonAsync("/api/v1/calls/cc/wu-1/transcript", new
        {
            segments = new[]
            {
                new { id = "1", speaker = "customer", start = 0, end = 2000, text = "我的发票抬头写错了，需要重开。", language = "zh-CN", final = true },
                new { id = "2", speaker = "agent", start = 2500, end = 5000, text = "我会在今天下班前为您重开发票。", language = "zh-CN", final = true },
            },
        });
        await SendSignedAsync(client, source, """{"callId":"wu-1","eventId":"3","kind":"ended","cause":"normal"}""");

        // The wrap-up opens by itself with the draft; the agent edits it, picks a disposition and confirms.
        await Assertions.Expect(page.GetByTestId("wrap-up-summary")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("来电原因：我的发票抬头写错了"));
        await Assertions.Expect(page.GetByTestId("wrap-up-left")).ToContainTextAsync("秒");
        await page.GetByTestId("wrap-up-summary").FillAsync("客户发票抬头有误，已承诺今天重开。");
        await page.GetByTestId("wrap-up-disposition").SelectOptionAsync("follow_up");
        await page.GetByTestId("wrap-up-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("wrap-up-result")).ToContainTextAsync("已保存到工单 TK-");

        var tickets = await (await client.GetAsync($"/api/v1/customers/{customer.Id}/tickets", Ct)).ReadAsync<Switchboard.Core.Common.Page<TicketView>>();
        var ticket = Assert.Single(tickets.Items);
        Assert.Equal(("follow_up", TicketStatus.Open), (ticket.Category, ticket.Status));
        var updates = await (await client.GetAsync($"/api/v1/customers/{customer.Id}/interactions", Ct)).ReadAsync<Switchboard.Core.Common.Page<InteractionView>>();
        Assert.Equal("客户发票抬头有误，已承诺今天重开。", Assert.Single(updates.Items).Summary);
    }

    [Fact]
    public void TheDesktop_IsCopiedBesideTheExecutable_WhereTheHostLooksForIt()
    {
        // The host's content root is the executable's folder; `switchboard demo` serves /desktop/ from its wwwroot.
        foreach (var file in new[] { "desktop/index.html", "desktop/desktop.js", "desktop/i18n.js", "lib/signalr/signalr.min.js" })
        {
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", file)), $"wwwroot/{file} is not in the build output");
        }
    }

    /// <summary>A new user of the role signs in at the desktop in a browser context of their own (their own cookies); online when it returns.</summary>
    private static async Task<IPage> DeskAsync(IBrowser browser, SwitchboardApplication app, Uri baseUrl, string name, Switchboard.Core.Security.Role role)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseUrl, "/desktop/").ToString());
        await BrowserSession.AddUserAsync(app, name, role);
        await page.GetByTestId("agent-id").FillAsync(name);
        await page.GetByTestId("password").FillAsync(BrowserSession.Password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("在线");
        return page;
    }

    private static Task<HttpResponseMessage> SendSignedAsync(HttpClient client, TelephonySourceCredentials source, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/telephony/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        request.Headers.Add("X-Switchboard-Source", source.Source.Name);
        request.Headers.Add("X-Switchboard-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Switchboard-Signature", SourceSecrets.Sign(source.SigningSecret, timestamp, Encoding.UTF8.GetBytes(body)));
        return client.SendAsync(request, Ct);
    }
}
