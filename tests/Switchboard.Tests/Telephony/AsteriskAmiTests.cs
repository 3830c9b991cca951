using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net.Http.Json;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Routing;
using Switchboard.Core.Telephony;
using Switchboard.Core.Telephony.Asterisk;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Telephony;

public sealed class AsteriskAmiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TelephonySource Pbx = new()
    {
        Name = "asterisk", Kind = TelephonySourceKind.Asterisk, Account = "switchboard", SigningSecret = "s3cret", Endpoint = "127.0.0.1:5038",
        DefaultQueue = "general", Extensions = new() { ["201"] = "agent-7", ["202"] = "agent-8" },
    };

    /// <summary>Two calls, interleaved, with the unrelated events Asterisk sends between them (as its AMI documentation lists them).</summary>
    private const string Traffic =
        "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/trunk-00000001\r\nChannelState: 4\r\nChannelStateDesc: Ring\r\nCallerIDNum: 13800138000\r\nExten: 95588\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\n\r\n" +
        "Event: VarSet\r\nChannel: PJSIP/trunk-00000001\r\nVariable: CHANNEL(language)\r\nValue: zh\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\n\r\n" +
        "Event: Newchannel\r\nChannel: PJSIP/trunk-00000003\r\nCallerIDNum: 13900139000\r\nExten: 8002\r\nUniqueid: 1700000000.3\r\nLinkedid: 1700000000.3\r\n\r\n" +
        "Event: QueueCallerJoin\r\nChannel: PJSIP/trunk-00000001\r\nQueue: vip\r\nPosition: 1\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\n\r\n" +
        "Event: DialBegin\r\nChannel: PJSIP/trunk-00000003\r\nDestChannel: PJSIP/202-00000004\r\nUniqueid: 1700000000.3\r\nLinkedid: 1700000000.3\r\nDestUniqueid: 1700000000.4\r\nDestLinkedid: 1700000000.3\r\n\r\n" +
        "Event: Newchannel\r\nChannel: PJSIP/201-00000002\r\nUniqueid: 1700000000.2\r\nLinkedid: 1700000000.1\r\n\r\n" +
        "Event: AgentCalled\r\nChannel: PJSIP/trunk-00000001\r\nDestChannel: PJSIP/201-00000002\r\nQueue: vip\r\nMemberName: Emma\r\nInterface: PJSIP/201\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\nDestUniqueid: 1700000000.2\r\nDestLinkedid: 1700000000.1\r\n\r\n" +
        "Event: RTCPSent\r\nChannel: PJSIP/trunk-00000003\r\nUniqueid: 1700000000.3\r\nLinkedid: 1700000000.3\r\n\r\n" +
        "Event: AgentConnect\r\nChannel: PJSIP/trunk-00000001\r\nDestChannel: PJSIP/201-00000002\r\nQueue: vip\r\nMemberName: Emma\r\nInterface: PJSIP/201\r\nHoldTime: 3\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\nDestUniqueid: 1700000000.2\r\n\r\n" +
        "Event: DialEnd\r\nChannel: PJSIP/trunk-00000003\r\nDestChannel: PJSIP/202-00000004\r\nDialStatus: NOANSWER\r\nUniqueid: 1700000000.3\r\nLinkedid: 1700000000.3\r\nDestUniqueid: 1700000000.4\r\n\r\n" +
        "Event: BridgeEnter\r\nChannel: PJSIP/201-00000002\r\nBridgeUniqueid: b-1\r\nUniqueid: 1700000000.2\r\nLinkedid: 1700000000.1\r\n\r\n" +
        "Event: Hangup\r\nChannel: PJSIP/trunk-00000003\r\nCause: 19\r\nCause-txt: No answer\r\nUniqueid: 1700000000.3\r\nLinkedid: 1700000000.3\r\n\r\n" +
        "Event: Hangup\r\nChannel: PJSIP/201-00000002\r\nCause: 16\r\nUniqueid: 1700000000.2\r\nLinkedid: 1700000000.1\r\n\r\n" +
        "Event: Hangup\r\nChannel: PJSIP/trunk-00000001\r\nCause: 16\r\nCause-txt: Normal Clearing\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\n\r\n";

    [Fact]
    public void Correlator_TurnsInterleavedTrafficIntoTwoCorrectCalls()
    {
        var correlator = new AmiCallCorrelator(Pbx);
        var events = new AmiParser().Feed(Encoding.UTF8.GetBytes(Traffic)).SelectMany(m => correlator.Map(m, DateTime.UnixEpoch)).ToList();

        Assert.Equal(
            ["Newchannel:Offered", "Newchannel:Offered", "QueueCallerJoin:Queued", "DialBegin:Ringing", "AgentCalled:Ringing", "AgentConnect:Answered", "Hangup:Ended", "Hangup:Ended"],
            events.Select(e => $"{e.EventKey.Split(':')[0]}:{e.Kind}"));
        var queued = CallState.Rebuild("asterisk", "1700000000.1", events.Where(e => e.SourceCallId == "1700000000.1")).Snapshot();
        Assert.Equal((CallPhase.Ended, CallOutcome.Answered, "agent-7", "vip", "13800138000", CallDirection.Inbound),
            (queued.Phase, queued.Outcome, queued.Agent, queued.Queue, queued.From, queued.Direction));
        var missed = CallState.Rebuild("asterisk", "1700000000.3", events.Where(e => e.SourceCallId == "1700000000.3")).Snapshot();
        Assert.Equal((CallOutcome.Missed, "agent-8", EndCause.NoAnswer), (missed.Outcome, missed.Agent, missed.EndCause));
    }

    [Fact]
    public void Correlator_KnowsEachLiveCallersChannel_UntilTheCallEndsOrIsForgotten()
    {
        var correlator = new AmiCallCorrelator(Pbx);
        var messages = new AmiParser().Feed(Encoding.UTF8.GetBytes(Traffic)).ToList();
        foreach (var message in messages.TakeWhile(m => m.Event != "Hangup"))
        {
            correlator.Map(message, DateTime.UnixEpoch);
        }
        Assert.Equal(("PJSIP/trunk-00000001", "PJSIP/trunk-00000003"), (correlator.CallerChannel("1700000000.1"), correlator.CallerChannel("1700000000.3")));
        Assert.Equal("201", correlator.ExtensionOfAgent("agent-7"));
        Assert.Equal("agent-99", correlator.ExtensionOfAgent("agent-99")); // unmapped: the id is the extension
        // A hang-up missed during a disconnect: the call is forgotten when the registry says it is over.
        Assert.Equal(1, correlator.Forget(id => id == "1700000000.3"));
        Assert.Null(correlator.CallerChannel("1700000000.3"));
        foreach (var message in messages.SkipWhile(m => m.Event != "Hangup"))
        {
            correlator.Map(message, DateTime.UnixEpoch);
        }
        Assert.Null(correlator.CallerChannel("1700000000.1"));
    }

    [Theory]
    [InlineData("PJSIP/201-0000002a", "201")]
    [InlineData("SIP/8001-00000001", "8001")]
    [InlineData("Local/201@agents-00000001;1", "201")]
    [InlineData("PJSIP/201", "201")]
    [InlineData("", null)]
    public void ExtensionOf_Channel(string channel, string? extension) => Assert.Equal(extension, AmiCallCorrelator.ExtensionOf(channel));

    [Fact]
    public void Parser_GivesTheSameMessages_HoweverTheStreamIsCut() =>
        Gen.Int[1, 200].Array[1, 40].Sample(cuts =>
        {
            var bytes = Encoding.UTF8.GetBytes("Asterisk Call Manager/7.0.3\r\n" + Traffic);
            var parser = new AmiParser();
            var messages = new List<AmiMessage>();
            var at = 0;
            foreach (var cut in cuts.Append(bytes.Length))
            {
                var next = Math.Min(bytes.Length, at + cut);
                messages.AddRange(parser.Feed(bytes.AsSpan(at, next - at)));
                at = next;
            }
            var whole = new AmiParser().Feed(bytes);
            return messages.Count == 14 && messages.Select(m => m.Event + m["Uniqueid"]).SequenceEqual(whole.Select(m => m.Event + m["Uniqueid"]));
        });

    [Fact]
    public void Parser_RefusesAnEndlessMessage()
    {
        var parser = new AmiParser();
        Assert.Throws<InvalidDataException>(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                parser.Feed(Encoding.UTF8.GetBytes($"Key{i}: {new string('x', 100)}\r\n"));
            }
        });
    }

    [Fact]
    public async Task Client_LogsIn_FollowsTheCalls_AndReconnectsWhenTheServerDrops()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var source = Pbx.CloneWith(((IPEndPoint)listener.LocalEndpoint).Port);
        var registry = app.Services.GetRequiredService<CallRegistry>();
        var client = new AmiClient(source, registry, TimeProvider.System, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = client.RunAsync(stop.Token);

        var half = Traffic.IndexOf("Event: AgentConnect", StringComparison.Ordinal);
        // First session: greeting, login, half the traffic, then the server drops the connection.
        Assert.Contains("Username: switchboard\r\nSecret: s3cret", await ServeOnceAsync(listener, Traffic[..half]), StringComparison.Ordinal);
        // The client comes back (after its 1 s backoff) and gets the rest.
        await ServeOnceAsync(listener, Traffic[half..], keepOpenUntil: () => registry.Find("asterisk", "1700000000.1")?.Phase == CallPhase.Ended);

        await stop.CancelAsync();
        await running;
        Assert.Equal(2, client.Sessions);
        Assert.Equal((CallPhase.Ended, CallOutcome.Answered, "agent-7"), (registry.Find("asterisk", "1700000000.1")!.Phase, registry.Find("asterisk", "1700000000.1")!.Outcome, registry.Find("asterisk", "1700000000.1")!.Agent));
        Assert.Equal(CallOutcome.Missed, registry.Find("asterisk", "1700000000.3")!.Outcome);
    }

    [Fact]
    public async Task Client_WithARefusedLogin_KeepsTrying_AndAcceptsNothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var client = new AmiClient(Pbx.CloneWith(((IPEndPoint)listener.LocalEndpoint).Port), app.Services.GetRequiredService<CallRegistry>(), TimeProvider.System, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = client.RunAsync(stop.Token);

        await ServeOnceAsync(listener, Traffic, response: "Response: Error\r\nActionID: switchboard-login\r\nMessage: Authentication failed\r\n\r\n");
        await stop.CancelAsync();
        await running;
        Assert.Equal((0, 0L), (client.Sessions, client.Events));
    }

    [Fact]
    public async Task WithRouting_AQueuedCallerIsRedirectedToTheAgentOffered_AndAWaitingOneWhenTheAgentFreesUp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var (store, app, http) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var document = new RoutingConfigurationDocument(["general"], [new("agent-7", ["general"], null)],
            [new("everyone", null, "general", 0, null, false, [new("general", null, null)])], null, null, null, 0);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync("/api/v1/routing/configuration", document, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostJsonAsync("/api/v1/routing/agents/agent-7/presence", new { status = "available" })).StatusCode);

        // Adding the source through the API connects to it at once.
        var accepting = listener.AcceptTcpClientAsync(Ct).AsTask();
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "asterisk", Kind = TelephonySourceKind.Asterisk, Account = "switchboard", SigningSecret = "s3cret",
            Endpoint = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", DefaultQueue = "general", Extensions = new Dictionary<string, string> { ["201"] = "agent-7" },
        })).StatusCode);
        using var connection = await accepting;
        var pbx = new FakeAmiServer(connection.GetStream());
        await pbx.SendAsync("Asterisk Call Manager/7.0.3\r\n");
        Assert.Contains("Action: Login", (await pbx.NextActionAsync()).Text, StringComparison.Ordinal);
        await pbx.SendAsync("Response: Success\r\nActionID: switchboard-login\r\nMessage: Authentication accepted\r\n\r\n");

        // The first caller joins the queue: agent-7 is free, so Asterisk is told to move the caller's channel to 201.
        await pbx.SendAsync(Caller("trunk-00000001", "1700000000.1", "13800138000"));
        // First the queue the call belongs in goes on the channel, for the dialplan to return an unanswered caller there.
        var setvar = await pbx.NextActionAsync();
        Assert.Equal(("Setvar", "PJSIP/trunk-00000001", "SWITCHBOARD_QUEUE", "general"), (setvar["Action"], setvar["Channel"], setvar["Variable"], setvar["Value"]));
        await pbx.SendAsync($"Response: Success\r\nActionID: {setvar["ActionID"]}\r\nMessage: Variable Set\r\n\r\n");
        var first = await pbx.NextActionAsync();
        Assert.Equal(("Redirect", "PJSIP/trunk-00000001", "from-internal", "201", "1"),
            (first["Action"], first["Channel"], first["Context"], first["Exten"], first["Priority"]));
        await pbx.SendAsync($"Response: Success\r\nActionID: {first["ActionID"]}\r\nMessage: Redirect successful\r\n\r\n");

        // The second waits in the Asterisk queue while agent-7's phone rings.
        await pbx.SendAsync(Caller("trunk-00000003", "1700000000.3", "13900139000"));
        var routing = app.Services.GetRequiredService<RoutingService>();
        await Eventually.TrueAsync(() => routing.Find("asterisk/1700000000.3") is { IsSuccess: true, Value.State: "waiting" }, "The second caller should wait.");

        // The first caller hangs up before answering: agent-7 is free again and the waiting caller is redirected to 201.
        await pbx.SendAsync("Event: Hangup\r\nChannel: PJSIP/trunk-00000001\r\nCause: 16\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\n\r\n");
        var queued = await pbx.NextActionAsync();
        Assert.Equal(("Setvar", "PJSIP/trunk-00000003"), (queued["Action"], queued["Channel"]));
        await pbx.SendAsync($"Response: Success\r\nActionID: {queued["ActionID"]}\r\n\r\n");
        var second = await pbx.NextActionAsync();
        Assert.Equal(("Redirect", "PJSIP/trunk-00000003", "201"), (second["Action"], second["Channel"], second["Exten"]));
        await pbx.SendAsync($"Response: Success\r\nActionID: {second["ActionID"]}\r\nMessage: Redirect successful\r\n\r\n");
        Assert.Equal("agent-7", routing.Find("asterisk/1700000000.3").Value.Agent);

        static string Caller(string channel, string id, string from) =>
            $"Event: Newchannel\r\nChannel: PJSIP/{channel}\r\nCallerIDNum: {from}\r\nExten: 95588\r\nUniqueid: {id}\r\nLinkedid: {id}\r\n\r\n" +
            $"Event: QueueCallerJoin\r\nChannel: PJSIP/{channel}\r\nQueue: general\r\nPosition: 1\r\nUniqueid: {id}\r\nLinkedid: {id}\r\n\r\n";
    }

    [Fact]
    public async Task ARedirect_WithoutASession_OrForAnUnknownCall_OrRefused_IsAClearError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        using var client = new AmiClient(Pbx.CloneWith(((IPEndPoint)listener.LocalEndpoint).Port), app.Services.GetRequiredService<CallRegistry>(), TimeProvider.System, NullLogger.Instance);
        Assert.Equal("telephony.disconnected", (await client.SendAsync([("Action", "Ping")], Ct)).Error?.Code);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = client.RunAsync(stop.Token);
        using var connection = await listener.AcceptTcpClientAsync(Ct);
        var pbx = new FakeAmiServer(connection.GetStream());
        await pbx.SendAsync("Asterisk Call Manager/7.0.3\r\n");
        await pbx.NextActionAsync();
        await pbx.SendAsync("Response: Success\r\nActionID: switchboard-login\r\n\r\n" +
            "Event: Newchannel\r\nChannel: PJSIP/trunk-00000001\r\nCallerIDNum: 13800138000\r\nUniqueid: 1.1\r\nLinkedid: 1.1\r\n\r\n");
        await Eventually.TrueAsync(() => client.Events > 0, "The call should be followed.");

        Assert.Equal(ErrorKind.NotFound, (await client.RedirectAsync("9.9", "agent-7", null, Ct)).Error?.Kind);
        var refused = client.RedirectAsync("1.1", "agent-7", null, Ct);
        var action = await pbx.NextActionAsync();
        await pbx.SendAsync($"Response: Error\r\nActionID: {action["ActionID"]}\r\nMessage: Channel specified does not exist\r\n\r\n");
        Assert.Equal("telephony.action_refused", (await refused).Error?.Code);

        await stop.CancelAsync();
        await running;
    }

    /// <summary>Plays an Asterisk server for one connection; returns what the client sent before the traffic.</summary>
    private static async Task<string> ServeOnceAsync(TcpListener listener, string traffic, Func<bool>? keepOpenUntil = null,
        string response = "Response: Success\r\nActionID: switchboard-login\r\nMessage: Authentication accepted\r\n\r\n")
    {
        using var connection = await listener.AcceptTcpClientAsync(Ct);
        await using var stream = connection.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes("Asterisk Call Manager/7.0.3\r\n"), Ct);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Ct);
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(response + traffic), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (keepOpenUntil is not null && !keepOpenUntil() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        return received.ToString();
    }
}

internal static class TelephonySourceTestExtensions
{
    public static TelephonySource CloneWith(this TelephonySource source, int port) => new()
    {
        Name = source.Name, Kind = source.Kind, Account = source.Account, SigningSecret = source.SigningSecret,
        Endpoint = $"127.0.0.1:{port}", DefaultQueue = source.DefaultQueue, Extensions = source.Extensions,
    };
}

/// <summary>The PBX side of one AMI connection, step by step: the test sends events and reads the actions it gets.</summary>
internal sealed class FakeAmiServer(NetworkStream stream)
{
    private readonly AmiParser _parser = new();
    private readonly Queue<AmiMessage> _received = new();
    private readonly byte[] _buffer = new byte[4096];

    public Task SendAsync(string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), TestContext.Current.CancellationToken).AsTask();

    /// <summary>The next action the client sent (waits up to 15 s).</summary>
    public async Task<AmiAction> NextActionAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (_received.Count == 0)
        {
            var read = await stream.ReadAsync(_buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException("The client closed the connection.");
            }
            foreach (var message in _parser.Feed(_buffer.AsSpan(0, read)))
            {
                _received.Enqueue(message);
            }
        }
        return new AmiAction(_received.Dequeue());
    }
}

internal sealed record AmiAction(AmiMessage Message)
{
    public string? this[string key] => Message[key];

    public string Text => string.Join("\n", Message.Fields.Select(f => $"{f.Key}: {f.Value}"));
}
