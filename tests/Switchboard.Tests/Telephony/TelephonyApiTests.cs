using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Calls;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Telephony;

public sealed class TelephonyApiTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private SwitchboardApplication _app = null!;
    private HttpClient _client = null!;
    private TelephonySourceCredentials _zammad = null!;
    private TelephonySourceCredentials _generic = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_store, _app, _client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        _zammad = await CreateSourceAsync(new TelephonySourceInput
        {
            Name = "pbx-sh", Kind = TelephonySourceKind.ZammadCti, DefaultQueue = "service",
            Extensions = new Dictionary<string, string> { ["Emma Taylor"] = "agent-7", ["201"] = "agent-7" },
        });
        _generic = await CreateSourceAsync(new TelephonySourceInput
        {
            Name = "cc-platform", Kind = TelephonySourceKind.Generic, Extensions = new Dictionary<string, string> { ["8001"] = "agent-9" },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task ZammadCti_FormAndJson_AsZammadDocumentsThem_MakeOneCall()
    {
        var url = $"/api/v1/cti/{_zammad.Token}";
        var newCall = await _client.PostAsync(url, new FormUrlEncodedContent(
        [
            new("event", "newCall"), new("from", "8613800138000"), new("to", "862155550100"), new("direction", "in"),
            new("callId", "z-1"), new("user[]", "Emma Taylor"), new("user[]", "Christopher Miller"),
        ]), Ct);
        Assert.Equal(HttpStatusCode.OK, newCall.StatusCode);
        Assert.Equal("{}", await newCall.Content.ReadAsStringAsync(Ct));

        var answer = await PostJsonAsync(url, """{"event":"answer","from":"8613800138000","to":"862155550100","direction":"in","callId":"z-1","user":"Emma Taylor","answeringNumber":"201"}""");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var hangup = """{"event":"hangup","from":"8613800138000","to":"862155550100","direction":"in","callId":"z-1","cause":"normalClearing"}""";
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(url, hangup)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(url, hangup)).StatusCode); // a PBX retry: acknowledged, stored once

        var call = _app.Services.GetRequiredService<CallRegistry>().Find("pbx-sh", "z-1")!;
        Assert.Equal((CallPhase.Ended, CallOutcome.Answered, "agent-7", "service", CallDirection.Inbound, "8613800138000", EndCause.Normal),
            (call.Phase, call.Outcome, call.Agent, call.Queue, call.Direction, call.From, call.EndCause));
        var journal = await _app.WithDbAsync(db => db.CallJournal.Where(e => e.SourceCallId == "z-1").Select(e => e.EventKey).ToListAsync(Ct));
        Assert.Equal(["answer", "hangup", "newCall", "newCall:ring:Christopher Miller", "newCall:ring:Emma Taylor"], journal.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"event\":\"hangup\",\"callId\":\"z-2\",\"cause\":\"cancel\"}", EndCause.CallerHungUp, CallOutcome.Abandoned)]
    [InlineData("{\"event\":\"hangup\",\"callId\":\"z-2\",\"cause\":\"noAnswer\"}", EndCause.NoAnswer, CallOutcome.Missed)]
    [InlineData("{\"event\":\"hangup\",\"callId\":\"z-2\",\"cause\":\"forwarded\"}", EndCause.Forwarded, CallOutcome.Missed)]
    public async Task ZammadCti_HangupCauses_DecideTheOutcome(string body, EndCause cause, CallOutcome outcome)
    {
        await PostJsonAsync($"/api/v1/cti/{_zammad.Token}", "{\"event\":\"newCall\",\"callId\":\"z-2\",\"direction\":\"in\",\"from\":\"1\",\"to\":\"2\"}");
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"/api/v1/cti/{_zammad.Token}", body)).StatusCode);
        var call = _app.Services.GetRequiredService<CallRegistry>().Find("pbx-sh", "z-2")!;
        Assert.Equal((cause, outcome), (call.EndCause, call.Outcome));
    }

    [Fact]
    public async Task ZammadCti_BadInput_IsRefusedAndNothingIsStored()
    {
        Assert.Equal("telephony.unauthorized", (await Problem.ReadAsync(await PostJsonAsync("/api/v1/cti/not-a-token", """{"event":"newCall","callId":"x"}"""), HttpStatusCode.Unauthorized)).Code);
        Assert.Equal("telephony.wrong_endpoint", (await Problem.ReadAsync(await PostJsonAsync($"/api/v1/cti/{_generic.Token}", """{"event":"newCall","callId":"x"}"""), HttpStatusCode.Forbidden)).Code);
        var url = $"/api/v1/cti/{_zammad.Token}";
        Assert.Equal("malformed_body", (await Problem.ReadAsync(await PostJsonAsync(url, """{"event":"newCall","""), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("malformed_body", (await Problem.ReadAsync(await PostJsonAsync(url, """{"event":"newCall","callId":{"a":1}}"""), HttpStatusCode.BadRequest)).Code);
        Assert.Equal(["callId"], (await Problem.ReadAsync(await PostJsonAsync(url, """{"event":"newCall"}"""), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["direction"], (await Problem.ReadAsync(await PostJsonAsync(url, """{"event":"newCall","callId":"x","direction":"sideways"}"""), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["callId"], (await Problem.ReadAsync(await PostJsonAsync(url, $$"""{"event":"newCall","callId":"{{new string('x', 300)}}"}"""), HttpStatusCode.BadRequest)).Errors.Keys);
        var xml = await _client.PostAsync(url, new StringContent("<newCall/>", Encoding.UTF8, "application/xml"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);

        // An event kind Zammad does not document is acknowledged and ignored, never fatal.
        var unknown = await PostJsonAsync(url, """{"event":"transfer","callId":"x"}""");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);

        Assert.Equal(0, await _app.WithDbAsync(db => db.CallJournal.CountAsync(Ct)));
    }

    [Fact]
    public async Task GenericEvents_Signed_OrWithTheKey_AreAccepted_AndResendsAreDuplicates()
    {
        var body = """{"callId":"g-1","eventId":"e-1","kind":"ringing","at":"2026-11-25T09:00:05+08:00","from":"+8613800138000","extension":"8001"}""";
        var first = await SendGenericAsync(body, signWith: _generic.SigningSecret);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"outcome\":\"applied\"", await first.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var again = await SendGenericAsync(body, signWith: _generic.SigningSecret);
        Assert.Contains("\"outcome\":\"duplicate\"", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var answered = await SendGenericAsync("""{"callId":"g-1","eventId":"e-2","kind":"answered","agent":"agent-9"}""", apiKey: _generic.Token);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var parked = await SendGenericAsync("""{"callId":"g-1","eventId":"e-3","kind":"parked"}""", apiKey: _generic.Token);
        Assert.Contains("\"outcome\":\"ignored\"", await parked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var call = _app.Services.GetRequiredService<CallRegistry>().Find("cc-platform", "g-1")!;
        Assert.Equal((CallPhase.Connected, "agent-9", new DateTime(2026, 11, 25, 1, 0, 5, DateTimeKind.Utc)), (call.Phase, call.Agent, call.RingingAt));
        Assert.Equal(2, await _app.WithDbAsync(db => db.CallJournal.CountAsync(e => e.SourceCallId == "g-1", Ct)));
    }

    [Fact]
    public async Task GenericEvents_UnsignedWronglySignedOrReplayed_Are401AndStoreNothing()
    {
        var body = """{"callId":"g-2","eventId":"e-1","kind":"offered"}""";
        Assert.Equal("telephony.unauthorized", (await Problem.ReadAsync(await SendGenericAsync(body), HttpStatusCode.Unauthorized)).Code);
        Assert.Equal("telephony.unauthorized", (await Problem.ReadAsync(await SendGenericAsync(body, signWith: "not-the-secret"), HttpStatusCode.Unauthorized)).Code);
        Assert.Equal("telephony.unauthorized", (await Problem.ReadAsync(await SendGenericAsync(body, apiKey: _zammad.Token), HttpStatusCode.Unauthorized)).Code);
        Assert.Equal("telephony.unauthorized", (await Problem.ReadAsync(await SendGenericAsync(body, signWith: _generic.SigningSecret, source: "nobody"), HttpStatusCode.Unauthorized)).Code);
        var replay = await SendGenericAsync(body, signWith: _generic.SigningSecret, signedAt: DateTimeOffset.UtcNow.AddMinutes(-6));
        Assert.Equal("telephony.signature_expired", (await Problem.ReadAsync(replay, HttpStatusCode.Unauthorized)).Code);
        // The body signed is the body checked: a changed byte breaks the signature.
        var tampered = await SendGenericAsync(body, signWith: _generic.SigningSecret, sendInstead: body.Replace("offered", "ended", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);

        Assert.Equal(["cause"], (await Problem.ReadAsync(await SendGenericAsync("""{"callId":"g-2","eventId":"e-9","kind":"ended","cause":"exploded"}""", apiKey: _generic.Token), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["eventId"], (await Problem.ReadAsync(await SendGenericAsync("""{"callId":"g-2","kind":"ended"}""", apiKey: _generic.Token), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(0, await _app.WithDbAsync(db => db.CallJournal.CountAsync(e => e.SourceCallId == "g-2", Ct)));
    }

    [Fact]
    public async Task Sources_ShowSecretsOnce_AndRotationRetiresTheOldToken()
    {
        var listed = await _client.GetStringAsync("/api/v1/telephony/sources", Ct);
        Assert.DoesNotContain(_zammad.Token, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(_zammad.SigningSecret, listed, StringComparison.Ordinal);
        Assert.Contains("pbx-sh", listed, StringComparison.Ordinal);
        Assert.Equal("duplicate", (await Problem.ReadAsync(await _client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = "pbx-sh", Kind = TelephonySourceKind.ZammadCti }), HttpStatusCode.Conflict)).Code);
        Assert.Equal(["kind", "name"], (await Problem.ReadAsync(await _client.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = "bad name!" }), HttpStatusCode.BadRequest)).Errors.Keys.Order(StringComparer.Ordinal));

        var rotated = await (await _client.PostAsync("/api/v1/telephony/sources/pbx-sh/rotate", null, Ct)).ReadAsync<TelephonySourceCredentials>();
        Assert.NotEqual(_zammad.Token, rotated.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync($"/api/v1/cti/{_zammad.Token}", """{"event":"newCall","callId":"r"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"/api/v1/cti/{rotated.Token}", """{"event":"newCall","callId":"r"}""")).StatusCode);

        var disabled = await _client.PutJsonAsync("/api/v1/telephony/sources/pbx-sh", new TelephonySourceInput { Enabled = false, Version = rotated.Source.Version });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync($"/api/v1/cti/{rotated.Token}", """{"event":"newCall","callId":"r2"}""")).StatusCode);
    }

    private async Task<TelephonySourceCredentials> CreateSourceAsync(TelephonySourceInput input)
    {
        var response = await _client.PostJsonAsync("/api/v1/telephony/sources", input);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<TelephonySourceCredentials>();
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json) =>
        _client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private Task<HttpResponseMessage> SendGenericAsync(string body, string? signWith = null, string? apiKey = null, string source = "cc-platform",
        DateTimeOffset? signedAt = null, string? sendInstead = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/telephony/events")
        {
            Content = new StringContent(sendInstead ?? body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Switchboard-Source", source);
        if (signWith is not null)
        {
            var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            request.Headers.Add("X-Switchboard-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Switchboard-Signature", SourceSecrets.Sign(signWith, timestamp, Encoding.UTF8.GetBytes(body)));
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        return _client.SendAsync(request, Ct);
    }
}
