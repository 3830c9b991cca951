using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// A stand-in for Salesforce's REST API on loopback, following its published shapes: upsert by external id
/// (<c>PATCH /services/data/v60.0/sobjects/{object}/{field}/{value}</c>, 201 when created, 204 when updated), delete
/// (<c>DELETE</c> on the same path, 204, 404 when absent), OAuth bearer tokens (401 <c>INVALID_SESSION_ID</c>), and
/// its API limit (403 with <c>[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]</c>).
/// It can also throttle the HTTP way (429 with Retry-After), as gateways in front of CRMs do.
/// </summary>
public sealed class FakeSalesforce : IAsyncDisposable
{
    public const string ApiPath = "/services/data/v60.0/sobjects";

    private readonly WebApplication _app;
    private int _limitNext;
    private int _throttleNext;

    /// <summary>Records by <c>{object}/{externalId}</c>: their fields as last written.</summary>
    public ConcurrentDictionary<string, JsonElement> Records { get; } = new();

    /// <summary>Every request that reached the API: when, method, path, idempotency key, status answered.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Method, string Path, string? IdempotencyKey, int Status)> Requests { get; } = new();

    public string AccessToken { get; } = "00D000000000001!AQ4AQFakeToken";

    public Uri BaseUrl { get; }

    /// <summary>How many seconds a 429 asks to wait.</summary>
    public int RetryAfterSeconds { get; set; } = 3;

    private FakeSalesforce(WebApplication app, Uri baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    /// <summary>The next <paramref name="count"/> requests get Salesforce's 403 REQUEST_LIMIT_EXCEEDED.</summary>
    public void LimitNext(int count) => Volatile.Write(ref _limitNext, count);

    /// <summary>The next <paramref name="count"/> requests get 429 with Retry-After.</summary>
    public void ThrottleNext(int count) => Volatile.Write(ref _throttleNext, count);

    public static async Task<FakeSalesforce> StartAsync()
    {
        FakeSalesforce? crm = null;
        var (app, address) = await Loopback.StartAsync(app => app.Map(ApiPath + "/{sobject}/{field}/{value}", async (HttpContext http) => await (await crm!.HandleAsync(http)).ExecuteAsync(http)));
        crm = new FakeSalesforce(app, new Uri(address));
        return crm;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var status = await AnswerAsync(http);
        Requests.Enqueue((DateTimeOffset.UtcNow, http.Request.Method, http.Request.Path.Value!, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), status.Code));
        return status.Result;
    }

    private async Task<(int Code, IResult Result)> AnswerAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != "Bearer " + AccessToken)
        {
            return (401, Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401));
        }
        if (Interlocked.Decrement(ref _limitNext) >= 0)
        {
            return (403, Results.Json(new[] { new { message = "TotalRequests Limit exceeded.", errorCode = "REQUEST_LIMIT_EXCEEDED" } }, statusCode: 403));
        }
        if (Interlocked.Decrement(ref _throttleNext) >= 0)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (429, Results.StatusCode(429));
        }
        var key = $"{http.Request.RouteValues["sobject"]}/{http.Request.RouteValues["value"]}";
        switch (http.Request.Method)
        {
            case "PATCH":
                using (var document = await JsonDocument.ParseAsync(http.Request.Body))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return (400, Results.Json(new[] { new { message = "Json deserialization failed", errorCode = "JSON_PARSER_ERROR" } }, statusCode: 400));
                    }
                    var created = !Records.ContainsKey(key);
                    Records[key] = document.RootElement.Clone();
                    return created ? (201, Results.Json(new { id = "500" + key.GetHashCode(StringComparison.Ordinal).ToString("x8"), success = true, created = true }, statusCode: 201))
                        : (204, Results.NoContent());
                }
            case "DELETE":
                return Records.TryRemove(key, out _) ? (204, Results.NoContent())
                    : (404, Results.Json(new[] { new { message = "Provided external ID field does not exist or is not accessible", errorCode = "NOT_FOUND" } }, statusCode: 404));
            default:
                return (405, Results.StatusCode(405));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
