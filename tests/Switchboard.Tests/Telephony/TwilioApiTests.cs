using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Calls;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Telephony;

public sealed class TwilioApiTests : IAsyncLifetime
{
    private const string AuthToken = "9f0e8d7c6b5a49382716a5b4c3d2e1f0";
    private const string AccountSid = "AC00000000000000000000000000000001";
    private const string PublicBase = "https://switchboard.example.com";
    private TestStore _store = null!;
    private SwitchboardApplication _app = null!;
    private HttpClient _client = null!;
    private FakeTwilioApi _twilio = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _twilio = await new FakeTwilioApi(AccountSid, AuthToken).StartAsync();
        (_store, _app, _client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite,
            new Dictionary<string, string?> { ["Telephony:PublicBaseUrl"] = PublicBase, ["Telephony:TwilioApiBaseUrl"] = _twilio.BaseUrl });
        var created = await _client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "twilio", Kind = TelephonySourceKind.Twilio, Account = AccountSid, SigningSecret = AuthToken, DefaultQueue = "support",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task SignedWebhooks_EnqueueTheCall_AndStatusCallbacksCarryItToTheEnd()
    {
        var voice = await PostAsync("/api/v1/telephony/twilio/voice", Call("CA1", ("CallStatus", "ringing")));
        Assert.Equal(HttpStatusCode.OK, voice.StatusCode);
        Assert.Equal("application/xml", voice.Content.Headers.ContentType?.MediaType);
        var twiml = await voice.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<Enqueue>support</Enqueue>", twiml, StringComparison.Ordinal);

        foreach (var (status, second) in new[] { ("ringing", 1), ("in-progress", 4), ("completed", 65) })
        {
            var callback = await PostAsync("/api/v1/telephony/twilio/status",
                Call("CA1", ("CallStatus", status), ("Timestamp", new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero).AddSeconds(second).ToString("R"))));
            Assert.Equal(HttpStatusCode.NoContent, callback.StatusCode);
        }

        var call = _app.Services.GetRequiredService<CallRegistry>().Find("twilio", "CA1")!;
        Assert.Equal((CallPhase.Ended, CallOutcome.Answered, "support", "+8613800138000", EndCause.Normal),
            (call.Phase, call.Outcome, call.Queue, call.From, call.EndCause));
        Assert.Equal(new DateTime(2026, 11, 25, 9, 0, 4, DateTimeKind.Utc), call.AnsweredAt);

        // Twilio's events are counted like every adapter's.
        var metrics = await _client.GetStringAsync("/metrics", Ct);
        Assert.Contains("outcome=\"applied\",source_kind=\"twilio\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsignedOrWronglySigned_Are401_AndNothingIsStored()
    {
        var form = Call("CA2", ("CallStatus", "ringing"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/api/v1/telephony/twilio/voice", form, sign: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/api/v1/telephony/twilio/voice", form, token: "another-accounts-token")).StatusCode);
        // Signed for another URL (e.g. replayed against a different endpoint): refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/api/v1/telephony/twilio/status", form, signedUrl: "/api/v1/telephony/twilio/voice")).StatusCode);
        var stranger = Call("CA2", ("CallStatus", "ringing"));
        stranger["AccountSid"] = "AC99999999999999999999999999999999";
        Assert.Equal("telephony.unauthorized", (await Problem.ReadAsync(await PostAsync("/api/v1/telephony/twilio/voice", stranger), HttpStatusCode.Unauthorized)).Code);
        var json = await _client.PostAsync("/api/v1/telephony/twilio/voice", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        var noSid = Call("", ("CallStatus", "ringing"));
        Assert.Equal(["CallSid"], (await Problem.ReadAsync(await PostAsync("/api/v1/telephony/twilio/voice", noSid), HttpStatusCode.BadRequest)).Errors.Keys);

        Assert.Equal(0, await _app.WithDbAsync(db => db.CallJournal.CountAsync(Ct)));
    }

    [Fact]
    public async Task WithRouting_TheVoiceWebhookDialsTheAgentOffered_OrEnqueuesWhereTheRulesSay_AndAWaitingCallIsUpdatedToRingTheAgentLater()
    {
        _twilio.LiveCalls["CA8"] = true;
        var document = new Switchboard.Core.Routing.RoutingConfigurationDocument(["general"], [new("agent-7", ["general"], null)],
            [new("everyone", null, "general", 0, null, false, [new("general", null, null)])], null, null, null, null);
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsJsonAsync("/api/v1/routing/configuration", document, Ct)).StatusCode);
        await _client.PostJsonAsync("/api/v1/routing/agents/agent-7/presence", new { status = "available" });

        var first = await (await PostAsync("/api/v1/telephony/twilio/voice", Call("CA7", ("CallStatus", "ringing")))).Content.ReadAsStringAsync(Ct);
        // Rings the agent for routing's ring timeout (20 s) and Twilio's grace (5 s); how the dial ended comes back to us.
        Assert.Contains("<Dial action=\"/api/v1/telephony/twilio/dial-ended\" timeout=\"25\"><Client>agent-7</Client></Dial></Response>", first, StringComparison.Ordinal);
        // The only agent rings: the next caller waits in the queue the rule named.
        var second = await (await PostAsync("/api/v1/telephony/twilio/voice", Call("CA8", ("CallStatus", "ringing")))).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<Enqueue>general</Enqueue>", second, StringComparison.Ordinal);

        // CA7 ends before anyone answers: routing lets it go and offers agent-7 the waiting CA8.
        await PostAsync("/api/v1/telephony/twilio/status", Call("CA7", ("CallStatus", "no-answer")));
        var routing = _app.Services.GetRequiredService<Switchboard.Core.Routing.RoutingService>();
        await Eventually.TrueAsync(() => !routing.Owns("twilio/CA7") && routing.Find("twilio/CA8").Value.Agent == "agent-7", "Routing should follow the end of CA7.");

        // Twilio is told, through its REST API: CA8 leaves the queue and rings agent-7 (back to the queue if unanswered).
        await Eventually.TrueAsync(() => !_twilio.Updates.IsEmpty, "Twilio's call should be updated.");
        var (sid, twiml) = Assert.Single(_twilio.Updates);
        Assert.Equal("CA8", sid);
        Assert.Contains("<Dial action=\"/api/v1/telephony/twilio/dial-ended\" timeout=\"25\"><Client>agent-7</Client></Dial>", twiml, StringComparison.Ordinal);

        // The dial's end: unanswered, back into the call's queue; after a conversation the agent ended, the caller is not put on hold again.
        var unanswered = await (await PostAsync("/api/v1/telephony/twilio/dial-ended", Call("CA8", ("CallStatus", "in-progress"), ("DialCallStatus", "no-answer")))).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<Enqueue>general</Enqueue>", unanswered, StringComparison.Ordinal);
        var talked = await (await PostAsync("/api/v1/telephony/twilio/dial-ended", Call("CA8", ("CallStatus", "in-progress"), ("DialCallStatus", "completed")))).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<Hangup", talked, StringComparison.Ordinal);
        Assert.DoesNotContain("<Enqueue", talked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/api/v1/telephony/twilio/dial-ended", Call("CA8", ("DialCallStatus", "no-answer")), sign: false)).StatusCode);
    }

    [Fact]
    public async Task ALaterOffer_ForACallTwilioNoLongerHas_IsNotFound_AndRefusedCredentialsAreUnavailable()
    {
        var control = _app.Services.GetRequiredService<Switchboard.CallControl.TwilioCallControl>();
        var source = new TelephonySource { Name = "twilio", Kind = TelephonySourceKind.Twilio, Account = AccountSid, SigningSecret = AuthToken };
        var gone = await control.RingAgentAsync(source, "CA404", "agent-7", TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(Switchboard.Core.Common.ErrorKind.NotFound, gone.Error?.Kind);

        _twilio.LiveCalls["CA9"] = true;
        source.SigningSecret = "not-the-token";
        var refused = await control.RingAgentAsync(source, "CA9", "agent-7", TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(("telephony.action_refused", Switchboard.Core.Common.ErrorKind.Unavailable), (refused.Error?.Code, refused.Error?.Kind));
        Assert.Empty(_twilio.Updates);
    }

    private static readonly Switchboard.Core.Routing.RoutingDecision General = new("everyone", "no rule before matched", "general", 0, TimeSpan.Zero, false, []);

    [Fact]
    public void WithATaskRouterWorkflow_TheQueueCarriesTheDecision_ABypassOutranksEveryPriority()
    {
        var control = new Switchboard.CallControl.TwilioCallControl(null!, Microsoft.Extensions.Options.Options.Create(
            new Switchboard.Core.Identification.TelephonyOptions { TwilioWorkflowSid = "WW0123456789abcdef0123456789abcdef" }));
        var vip = new Switchboard.Core.Routing.RoutingDecision("vip", "rule 'vip' matched", "vip", 10, TimeSpan.FromSeconds(90), true, []);
        var twiml = control.RingAgent("agent-7", TimeSpan.FromSeconds(20)).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        Assert.Contains("<Dial action=\"/api/v1/telephony/twilio/dial-ended\" timeout=\"25\"><Client>agent-7</Client></Dial>", twiml, StringComparison.Ordinal);
        var back = control.AfterDial("no-answer", vip, "support").ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        Assert.Contains("<Enqueue workflowSid=\"WW0123456789abcdef0123456789abcdef\"><Task priority=\"1000010\">{\"queue\":\"vip\",\"rule\":\"vip\",\"priority\":10,\"bypass\":true}</Task></Enqueue>",
            back, StringComparison.Ordinal);
        Assert.Contains("<Task priority=\"0\">", control.Enqueue(General).ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Call(string sid, params (string Key, string Value)[] extra)
    {
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = sid, ["AccountSid"] = AccountSid, ["From"] = "+8613800138000", ["To"] = "+862155550100",
            ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
        };
        foreach (var (key, value) in extra)
        {
            form[key] = value;
        }
        return form;
    }

    private Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form, bool sign = true, string token = AuthToken, string? signedUrl = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (sign)
        {
            request.Headers.Add("X-Twilio-Signature", TwilioSigner.Sign(token, PublicBase + (signedUrl ?? path), form));
        }
        return _client.SendAsync(request, Ct);
    }
}
