using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Polly.CircuitBreaker;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Security;
using Switchboard.Core.Telephony;

namespace Switchboard.Delivery;

/// <summary>
/// Sends one outbox message to one webhook: the event as JSON (its data shaped for the subscription's role, like any
/// viewer's), signed with the subscription's secret the way Stripe and Slack sign theirs (<c>X-Switchboard-Signature:
/// sha256=</c> hex HMAC-SHA256 over <c>{timestamp}.{body}</c>, <c>X-Switchboard-Timestamp</c> in Unix seconds), with
/// the event id as <c>Idempotency-Key</c> so a receiver applies a redelivery once. The named client carries the
/// resilience pipeline (timeout, a circuit breaker per receiver: <see cref="DeliveryServiceCollectionExtensions"/>).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time, Microsoft.Extensions.Options.IOptions<OutboxOptions> options)
{
    public const string HttpClientName = "switchboard.webhooks";

    public async Task<(AttemptOutcome Outcome, TimeSpan Wait, string? Error)> SendAsync(
        WebhookSubscription subscription, OutboxMessage message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Envelope(message, new Viewer(subscription.Name, subscription.Role)));
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Switchboard-Event-Id", EventId(message));
        request.Headers.Add("X-Switchboard-Event-Type", message.Type);
        request.Headers.Add("X-Switchboard-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Switchboard-Signature", SourceSecrets.Sign(subscription.Secret, timestamp, body));
        request.Headers.Add("Idempotency-Key", EventId(message));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (AttemptOutcome.Delivered, default, null);
            }
            var retryAfter = response.Headers.RetryAfter is { } after
                ? after.Delta ?? (after.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero) : TimeSpan.Zero;
            return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && retryAfter > TimeSpan.Zero
                ? (AttemptOutcome.Deferred, Clamp(retryAfter), $"{(int)response.StatusCode} {response.ReasonPhrase}")
                : (AttemptOutcome.Failed, Clamp(retryAfter), $"{(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (BrokenCircuitException)
        {
            // The receiver failed too often lately: it rests; this attempt is not counted against the message.
            return (AttemptOutcome.Deferred, TimeSpan.FromSeconds(options.Value.BreakerBreakSeconds), "circuit open");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return (AttemptOutcome.Failed, default, e.GetType().Name);
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
