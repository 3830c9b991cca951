using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Polly.CircuitBreaker;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Security;
using Switchboard.Core.Sync;
using Switchboard.Core.Telephony;

namespace Switchboard.Delivery;

/// <summary>What one attempt at one endpoint came to.</summary>
/// <param name="Outcome">For the delivery: delivered, failed (counted, backed off) or deferred (not counted).</param>
/// <param name="Wait">How long the receiver asked to wait (Retry-After, a rate limit), or the circuit's rest.</param>
/// <param name="Error">What went wrong: a status and reason, an exception's type (never the receiver's body).</param>
/// <param name="Endpoint">What failover makes of it.</param>
/// <param name="RateLimited">The receiver said it takes no more for now (429/503 with Retry-After, Salesforce's REQUEST_LIMIT_EXCEEDED): the whole destination pauses.</param>
internal readonly record struct Attempt(AttemptOutcome Outcome, TimeSpan Wait, string? Error, EndpointResult Endpoint, bool RateLimited = false);

/// <summary>
/// Sends one outbox message to one endpoint of a destination. A webhook gets the event as JSON (its data shaped for
/// the destination's role, like any viewer's); a REST connector gets the request its route renders from that event
/// (<see cref="ConnectorTemplate"/>) with its credential. Both are signed with the destination's secret the way Stripe
/// and Slack sign theirs (<c>X-Switchboard-Signature: sha256=</c> hex HMAC-SHA256 over <c>{timestamp}.{body}</c>,
/// <c>X-Switchboard-Timestamp</c> in Unix seconds) and carry the event id as <c>Idempotency-Key</c>, so a receiver
/// applies a redelivery once. The named client carries the resilience pipeline (a short retry honouring Retry-After,
/// a circuit breaker per endpoint, a timeout: <see cref="DeliveryServiceCollectionExtensions"/>).
/// </summary>
internal sealed class DestinationSender(IHttpClientFactory clients, TimeProvider time, Microsoft.Extensions.Options.IOptions<OutboxOptions> options, SyncPusher sync)
{
    public const string HttpClientName = "switchboard.webhooks";

    public async Task<Attempt> SendAsync(Destination destination, OutboxMessage message, string endpoint, CancellationToken cancellationToken)
    {
        if (destination.Kind == DestinationKind.Sync)
        {
            // A sync's push: the customer's current state as the CRM's upsert (SyncPusher), through the same pipeline.
            if (await sync.PrepareAsync(destination, message, endpoint, cancellationToken) is not { } push)
            {
                return new Attempt(AttemptOutcome.Delivered, default, null, EndpointResult.Delivered);
            }
            using (push.Request)
            {
                push.Request.Headers.Add("Idempotency-Key", EventId(message));
                ConnectorAuth.Apply(push.Request, destination.AuthScheme, destination.Credential);
                return await SendAsync(push.Request, response => sync.CompleteAsync(push, response, cancellationToken), cancellationToken);
            }
        }
        var envelope = Envelope(message, new Viewer(destination.Name, destination.Role));
        var (method, url, body) = (HttpMethod.Post, endpoint, Encoding.UTF8.GetBytes(envelope));
        if (destination.Kind == DestinationKind.Rest)
        {
            if (ConnectorTemplate.RouteFor(ConnectorTemplate.Parse(destination.Routes), message.Type) is not { } route)
            {
                return new Attempt(AttemptOutcome.Delivered, default, null, EndpointResult.Delivered); // no route takes it any more: nothing to send
            }
            using var document = JsonDocument.Parse(envelope);
            var rendered = ConnectorTemplate.Render(route, document.RootElement);
            (method, url, body) = (new HttpMethod(rendered.Method), endpoint.TrimEnd('/') + rendered.Path, rendered.Body is null ? [] : Encoding.UTF8.GetBytes(rendered.Body));
        }
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(method, url);
        if (method != HttpMethod.Delete)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        request.Headers.Add("X-Switchboard-Event-Id", EventId(message));
        request.Headers.Add("X-Switchboard-Event-Type", message.Type);
        request.Headers.Add("X-Switchboard-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Switchboard-Signature", SourceSecrets.Sign(destination.Secret, timestamp, body));
        request.Headers.Add("Idempotency-Key", EventId(message));
        ConnectorAuth.Apply(request, destination.AuthScheme, destination.Credential);
        return await SendAsync(request, null, cancellationToken);
    }

    /// <summary>Sends a request through the resilient client and says what the attempt came to; <paramref name="accepted"/> sees a success's answer before it is disposed.</summary>
    private async Task<Attempt> SendAsync(HttpRequestMessage request, Func<HttpResponseMessage, Task>? accepted, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode || (request.Method == HttpMethod.Delete && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone))
            {
                if (accepted is not null)
                {
                    await accepted(response);
                }
                return new Attempt(AttemptOutcome.Delivered, default, null, EndpointResult.Delivered); // a delete of what is gone is done
            }
            var error = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            var retryAfter = RateLimits.RetryAfter(response, time.GetUtcNow());
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && retryAfter > TimeSpan.Zero)
            {
                return new Attempt(AttemptOutcome.Deferred, Clamp(retryAfter), error, EndpointResult.Failed, RateLimited: true);
            }
            if (await RateLimits.IsRequestLimitExceededAsync(response, cancellationToken))
            {
                return new Attempt(AttemptOutcome.Deferred, TimeSpan.FromSeconds(options.Value.RateLimitPauseSeconds), error + " REQUEST_LIMIT_EXCEEDED", EndpointResult.Failed,
                    RateLimited: true);
            }
            return new Attempt(AttemptOutcome.Failed, Clamp(retryAfter), error, EndpointResult.Failed);
        }
        catch (BrokenCircuitException)
        {
            // The endpoint failed too often lately: it rests; this attempt is not counted against the message.
            return new Attempt(AttemptOutcome.Deferred, TimeSpan.FromSeconds(options.Value.BreakerBreakSeconds), "circuit open", EndpointResult.Open);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return new Attempt(AttemptOutcome.Failed, default, e.GetType().Name, EndpointResult.Failed);
        }
    }

    /// <summary>The event's id, the same on every attempt: what receivers de-duplicate by.</summary>
    public static string EventId(OutboxMessage message) => "evt_" + message.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The event as sent: the envelope, and the record as the viewer may see it.</summary>
    public static string Envelope(OutboxMessage message, Viewer viewer)
    {
        var data = FieldPolicy.SeesAll(viewer.Role) ? message.Payload : Shaped(message, viewer);
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"id":{{JsonSerializer.Serialize(EventId(message))}},"type":{{JsonSerializer.Serialize(message.Type)}},"occurredAt":{{JsonSerializer.Serialize(message.OccurredAt)}},"recordType":{{JsonSerializer.Serialize(message.RecordType)}},"recordId":"{{message.RecordId:D}}","customerId":{{(message.CustomerId is { } c ? $"\"{c:D}\"" : "null")}},"data":{{data}}}""");
    }

    private static string Shaped(OutboxMessage message, Viewer viewer)
    {
        Type? view = message.RecordType switch
        {
            "customer" => typeof(CustomerView),
            "contact_point" => typeof(ContactPointView),
            "order" => typeof(OrderView),
            "ticket" => typeof(TicketView),
            "opportunity" => typeof(OpportunityView),
            _ => null, // tasks and interactions carry nothing the policy withholds
        };
        return view is null ? message.Payload
            : JsonSerializer.Serialize(FieldPolicy.Shape(JsonSerializer.Deserialize(message.Payload, view, WireJson.Options), viewer), view, WireJson.Options);
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait;
}
