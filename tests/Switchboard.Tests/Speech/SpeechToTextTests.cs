using System.Net;
using CsCheck;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Speech;
using Switchboard.Core.Telephony;
using Switchboard.Core.WrapUp;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Speech;

/// <summary>Audio in: the WAV check, the pass-through default, and a local engine's words reaching the transcript and the rules.</summary>
public sealed class SpeechToTextTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static byte[] Wav(int milliseconds, int rate = 16_000, short channels = 1, short bits = 16)
    {
        var data = milliseconds * rate / 1000 * channels * (bits / 8);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + data);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write(channels);
        writer.Write(rate);
        writer.Write(rate * channels * bits / 8);
        writer.Write((short)(channels * bits / 8));
        writer.Write(bits);
        writer.Write("data"u8);
        writer.Write(data);
        writer.Write(new byte[data]);
        return stream.ToArray();
    }

    [Fact]
    public void TheWavCheck_TakesWhatWhisperTakes_AndNamesWhatIsWrong()
    {
        Assert.Equal(1_500, WavAudio.Check(Wav(1_500)).Value);
        Assert.Contains("16 kHz mono 16-bit", WavAudio.Check(Wav(1_000, rate: 8_000)).Error!.Fields!["audio"][0], StringComparison.Ordinal);
        Assert.Contains("16 kHz mono 16-bit", WavAudio.Check(Wav(1_000, channels: 2)).Error!.Fields!["audio"][0], StringComparison.Ordinal);
        Assert.False(WavAudio.Check("not a wav file at all, just some text here..."u8).IsSuccess);
        var truncated = Wav(1_000)[..40];
        Assert.False(WavAudio.Check(truncated).IsSuccess);
        // Any bytes at all: a result, never an exception.
        Gen.Byte.Array[0, 200].Sample(bytes => { _ = WavAudio.Check(bytes); }, iter: 2_000);
    }

    [Fact]
    public async Task Audio_IsRefusedWithoutALocalEngine_AndALocalEnginesWords_AreHeardByTheRules()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var source = await (await admin.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = "pbx", Kind = TelephonySourceKind.ZammadCti }))
            .ReadAsync<TelephonySourceCredentials>();
        await SpeechAnalyticsTests.CtiAsync(admin, source.Token, """{"event":"newCall","from":"13900139000","direction":"in","callId":"a-1"}""");

        Assert.Equal("speech.no_engine", (await Problem.ReadAsync(await PostAudio(admin, Wav(1_000)), HttpStatusCode.Conflict)).Code);
        Assert.Equal(["audio"], (await Problem.ReadAsync(await PostAudio(admin, Wav(1_000, rate: 44_100)), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["speaker"], (await Problem.ReadAsync(await PostAudio(admin, Wav(1_000), "speaker=robot"), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAudio(admin, Wav(40_000))).StatusCode); // over the 1 MB request limit

        // A local engine (a stand-in for a whisper model, which the tests do not ship) turns the audio into final segments.
        using var withEngine = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ISpeechToText>(new StandIn())));
        var client = withEngine.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await SpeechAnalyticsTests.Put(client, SpeechAnalyticsTests.Rules, 0)).StatusCode);
        await SpeechAnalyticsTests.CtiAsync(client, source.Token, """{"event":"newCall","from":"13900139000","direction":"in","callId":"a-2"}""");
        var accepted = await (await PostAudio(client, Wav(3_000), "speaker=customer&offset=60000&language=zh-CN", "a-2")).ReadAsync<SpeechAnalyticsTests.TranscriptAcceptedView>();
        Assert.Equal(2, accepted.Changed);
        Assert.Equal(["competitor", "greeting"], accepted.Fired.Select(f => f.Rule).Order()); // a minute in, nobody greeted either
        var transcript = await (await client.GetAsync("/api/v1/calls/pbx/a-2/transcript", Ct)).ReadAsync<List<SegmentView>>();
        Assert.Equal([(60_000, "您好"), (61_000, "优品汇更便宜")], transcript.Select(s => (s.Start, s.Text)));
        Assert.All(transcript, s => Assert.Equal((Speaker.Customer, true, "zh-CN"), (s.Speaker, s.Final, s.Language)));
    }

    private static Task<HttpResponseMessage> PostAudio(HttpClient client, byte[] wav, string query = "speaker=customer", string call = "a-1")
    {
        var content = new ByteArrayContent(wav);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return client.PostAsync($"/api/v1/calls/pbx/{call}/audio?{query}", content, Ct);
    }

    private sealed class StandIn : ISpeechToText
    {
        public bool Available => true;

        public Task<IReadOnlyList<RecognizedSpeech>> TranscribeAsync(Stream wav, string? language, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RecognizedSpeech>>([new(0, 900, "您好", "zh"), new(1_000, 2_900, " 优品汇更便宜 ", "zh")]);
    }
}
