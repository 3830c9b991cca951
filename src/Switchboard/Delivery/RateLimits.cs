using System.Net;

namespace Switchboard.Delivery;

/// <summary>How receivers say "not now": HTTP's Retry-After (429, 503), and Salesforce's 403 <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
internal static class RateLimits
{
    /// <summary>The most of a 403's body read to look for Salesforce's error code.</summary>
    private const int MaxBody = 64 * 1024;

    /// <summary>The wait a response's <c>Retry-After</c> asks for (seconds or a date), or zero.</summary>
    public static TimeSpan RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        _ => TimeSpan.Zero,
    };

    /// <summary>
    /// Whether a response is Salesforce's API limit: 403 with <c>"errorCode":"REQUEST_LIMIT_EXCEEDED"</c> in its body
    /// (<c>[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]</c>). The body is buffered,
    /// so it can be read again.
    /// </summary>
    public static async Task<bool> IsRequestLimitExceededAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden || response.Content.Headers.ContentLength is > MaxBody)
        {
            return false;
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBody, cancellationToken);
            return (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false; // larger than any error body
        }
    }
}
