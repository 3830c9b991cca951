using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Switchboard.Core.Customers;
using Switchboard.Core.Knowledge;
using Switchboard.Core.Security;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Tests.Speech;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Web;

/// <summary>Live assist in real Chromium: the caller names a competitor, the script card appears; anger escalates and the supervisor sees it.</summary>
public sealed class LiveAssistBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheCompetitorsScriptCard_ASuggestedAnswer_AndAnEscalation_ReachTheDesktopAndTheBoard()
    {
        if (!File.Exists(BrowserSession.Chromium))
        {
            Assert.Skip($"{BrowserSession.Chromium} is not installed (scripts/test.sh installs Debian's chromium).");
        }
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();
        var baseUrl = client.BaseAddress!;
        Assert.Equal(HttpStatusCode.OK, (await SpeechAnalyticsTests.Put(client, SpeechAnalyticsTests.Rules, 0)).StatusCode);
        await client.PostJsonAsync("/api/v1/knowledge/articles", new ArticleInput("年费减免", "刷卡满六次即可减免次年年费。", ["信用卡年费怎么减免", "年费能免吗"], [], "zh-CN", null, ArticleStatus.Published));
        await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", ContactPoints = [new() { Value = "13900139000" }] });
        var source = await (await client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var desk = await browser.NewPageAsync();
        await BrowserSession.SignInAsync(desk, app, baseUrl, "agent-7", Role.Agent);
        await desk.GotoAsync(new Uri(baseUrl, "/desktop/").ToString());
        await Assertions.Expect(desk.GetByTestId("connection-status")).ToHaveTextAsync("在线");
        var board = await browser.NewPageAsync();
        await BrowserSession.SignInAsync(board, app, baseUrl, "supervisor-liu", Role.Supervisor);
        await board.GotoAsync(new Uri(baseUrl, "/supervisor/").ToString());
        await Assertions.Expect(board.GetByTestId("status")).ToHaveTextAsync("实时");

        await SpeechAnalyticsTests.CtiAsync(client, source.Token, """{"event":"newCall","from":"13900139000","direction":"in","callId":"b-1","user":["Emma"]}""");
        await SpeechAnalyticsTests.CtiAsync(client, source.Token, """{"event":"answer","callId":"b-1","user":"Emma","direction":"in"}""");
        await Assertions.Expect(desk.GetByTestId("pop-name")).ToHaveTextAsync("王芳");

        // The caller names a competitor and asks about the annual fee: the script card and the answer appear.
        await client.PostJsonAsync("/api/v1/calls/pbx/b-1/transcript", SpeechAnalyticsTests.Segments(("1", "customer", 1_000, "优品汇的信用卡年费能免，你们的年费能免吗？")));
        var script = desk.GetByTestId("card-script");
        await Assertions.Expect(script).ToContainTextAsync("对比话术");
        await Assertions.Expect(script.GetByTestId("card-heard")).ToContainTextAsync("优品汇");
        await Assertions.Expect(desk.GetByTestId("suggestion").First).ToContainTextAsync("年费减免");
        await script.GetByTestId("card-useful").ClickAsync();
        await Assertions.Expect(script).ToContainTextAsync("已记录");
        await desk.GetByTestId("article-helped").First.ClickAsync();
        await Assertions.Expect(desk.GetByTestId("suggestion").First).ToContainTextAsync("已记录");

        // A run of angry segments: the agent is offered a warm transfer to the senior group; the supervisor sees the alert.
        await client.PostJsonAsync("/api/v1/calls/pbx/b-1/transcript", SpeechAnalyticsTests.Segments(
            ("2", "customer", 12_000, "你们的服务太差了，气死我了！"), ("3", "customer", 18_000, "我非常不满意，简直忍无可忍！"), ("4", "customer", 24_000, "太失望了，我要投诉！")));
        await Assertions.Expect(desk.GetByTestId("card-escalation")).ToContainTextAsync("senior");
        await Assertions.Expect(board.Locator("[data-testid=alert][data-rule=upset]")).ToContainTextAsync("b-1");
        await Assertions.Expect(board.Locator("[data-testid=alert][data-rule=upset]")).ToContainTextAsync("agent-7");

        var report = await client.GetFromJsonAsync<List<Switchboard.Core.Speech.RuleOutcomeView>>("/api/v1/speech/report", SwitchboardApplication.Json, Ct);
        Assert.Equal(1, report!.Single(r => r.Rule == "competitor").Useful);
    }
}
