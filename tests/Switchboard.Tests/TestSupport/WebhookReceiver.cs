using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// A webhook receiver on loopback, written as a receiver's developer would: it checks the signature with the standard
/// recipe (HMAC-SHA256 over <c>{timestamp}.{body}</c>, hex, compared in constant time, timestamp within 5 minutes),
/// applies each event once by its id, and can be told to fail.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _seen;

    /// <summary>Every request the receiver accepted, in arrival order (duplicates included).</summary>
    public ConcurrentQueue<JsonElement> Received { get; } = new();

    /// <summary>Each event applied once, in the order applied (shared with a receiver started as this one's other endpoint).</summary>
    public ConcurrentQueue<JsonElement> Applied { get; }

    private int _rejected;
    private int _failed;

    /// <summary>Requests refused for a bad signature.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Requests answered 500 on purpose.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>The share of requests answered 500 (0 healthy, 1 down).</summary>
    public double FailureRate { get; set; }

    public string Secret { get; set; } = "";

    public Uri Url { get; }

    private WebhookReceiver(WebApplication app, Uri url, WebhookReceiver? other) =>
        (_app, Url, _seen, Applied, Secret) = (app, url, other?._seen ?? new(), other?.Applied ?? new(), other?.Secret ?? "");

    /// <summary>Starts a receiver; with <paramref name="otherEndpointOf"/>, a second endpoint of the same system (another port), applying into the same store.</summary>
    public static async Task<WebhookReceiver> StartAsync(WebhookReceiver? otherEndpointOf = null)
    {
        WebhookReceiver? receiver = null;
        // A RequestDelegate: the result is executed here (a lambda returning Task<IResult> would bind as one and drop it).
        var (app, address) = await Loopback.StartAsync(app => app.MapPost("/hook", async (HttpContext http) => await (await receiver!.HandleAsync(http)).ExecuteAsync(http)));
        receiver = new WebhookReceiver(app, new Uri(address + "/hook"), otherEndpointOf);
        return receiver;
    }

    /// <summary>The standard recipe, independent of Switchboard's code.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalMinutes) > 5)
        {
            return false;
        }
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!Verify(Secret, http.Request.Headers["X-Switchboard-Timestamp"], http.Request.Headers["X-Switchboard-Signature"], body, DateTimeOffset.UtcNow))
        {
            Interlocked.Increment(ref _rejected);
            return Results.Unauthorized();
        }
        if (FailureRate > 0 && Random.Shared.NextDouble() < FailureRate)
        {
            Interlocked.Increment(ref _failed);
            return Results.StatusCode(500);
        }
        var element = JsonDocument.Parse(body).RootElement.Clone();
        Received.Enqueue(element);
        if (_seen.TryAdd(http.Request.Headers["Idempotency-Key"].ToString(), 0))
        {
            Applied.Enqueue(element);
        }
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
