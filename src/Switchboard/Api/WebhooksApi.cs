using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Outbox;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>Outbound webhooks: <c>/api/v1/webhooks</c> (docs/delivery.md).</summary>
internal static class WebhooksApi
{
    /// <summary>What to send again: a time to send every wanted message from (else the dead letters).</summary>
    public sealed record ReplayInput(DateTimeOffset? Since);

    /// <summary>How many deliveries were queued again.</summary>
    public sealed record Replayed(int Queued);

    public static void MapWebhooks(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/webhooks").WithTags("Webhooks");

        group.MapPost("/", async Task<Results<Created<WebhookView>, ProblemHttpResult>> (DestinationService webhooks, WebhookInput input, CancellationToken cancellationToken) =>
                (await webhooks.CreateAsync(input, cancellationToken)).ToCreated(w => $"/api/v1/webhooks/{w.Id}"))
            .WithName("CreateWebhook")
            .WithSummary("Subscribe a URL (and optionally a backup URL on another host) to events (`*`, `ticket.*`, `ticket.created`, `call.logged`…). The answer carries the signing secret, once.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", async (DestinationService webhooks, CancellationToken cancellationToken) => TypedResults.Ok(await webhooks.ListAsync(cancellationToken)))
            .WithName("ListWebhooks").WithSummary("Every webhook (never its secret).");

        group.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (DestinationService webhooks, Guid id, CancellationToken cancellationToken) =>
                (await webhooks.DeleteAsync(DestinationKind.Webhook, id, cancellationToken)).ToNoContent())
            .WithName("DeleteWebhook").WithSummary("Remove a webhook and its queue.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ProblemHttpResult>> (
                    DestinationService webhooks, Guid id, string? status, long? after, int? limit, CancellationToken cancellationToken) =>
                ParseStatus(status) is { IsSuccess: false } bad ? bad.Error!.ToProblem()
                    : (await webhooks.DeliveriesAsync(DestinationKind.Webhook, id, ParseStatus(status).Value, after, limit, cancellationToken)).ToOk())
            .WithName("ListWebhookDeliveries").WithSummary("A webhook's deliveries, oldest first; `status=dead` lists its dead letters.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/replay", async Task<Results<Ok<Replayed>, ProblemHttpResult>> (
                    DestinationService webhooks, Guid id, ReplayInput? input, CancellationToken cancellationToken) =>
                (await webhooks.ReplayAsync(DestinationKind.Webhook, id, null, input?.Since, cancellationToken)).ToOk(n => new Replayed(n)))
            .WithName("ReplayWebhook").WithSummary("Send again: every dead letter, or with `since` every wanted message from then on.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/deliveries/{deliveryId:long}/replay", async Task<Results<Ok<Replayed>, ProblemHttpResult>> (
                    DestinationService webhooks, Guid id, long deliveryId, CancellationToken cancellationToken) =>
                (await webhooks.ReplayAsync(DestinationKind.Webhook, id, deliveryId, null, cancellationToken)).ToOk(n => new Replayed(n)))
            .WithName("ReplayWebhookDelivery").WithSummary("Send one delivery again (a dead letter, or one already delivered).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>A <c>status</c> filter: pending, delivered or dead (names only), or none.</summary>
    internal static Core.Common.Result<DeliveryStatus?> ParseStatus(string? status)
    {
        if (status is null)
        {
            return (DeliveryStatus?)null;
        }
        return Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _)
            ? (DeliveryStatus?)parsed : Core.Common.Error.Validation("status", "must be pending, delivered or dead.");
    }
}
