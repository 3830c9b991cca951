using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Outbox;
using Switchboard.Delivery;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>REST connectors to CRMs (<c>/api/v1/connectors</c>) and delivery health and alerts (<c>/api/v1/delivery</c>); docs/delivery.md.</summary>
internal static class ConnectorsApi
{
    public static void MapConnectors(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/connectors").WithTags("Connectors");

        group.MapPost("/", async Task<Results<Created<ConnectorView>, ProblemHttpResult>> (DestinationService destinations, ConnectorInput input, CancellationToken cancellationToken) =>
                (await destinations.CreateConnectorAsync(input, cancellationToken)).ToCreated(c => $"/api/v1/connectors/{c.Id}"))
            .WithName("CreateConnector")
            .WithSummary("Connect a CRM's REST API: base URL (and a backup on another host), auth (none, bearer, basic, header), and routes that turn events into requests "
                + "(method, path and a JSON body template with {{placeholders}}). Every request carries the event id as Idempotency-Key. The answer carries the signing secret, once.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", async (DestinationService destinations, CancellationToken cancellationToken) => TypedResults.Ok(await destinations.ListConnectorsAsync(cancellationToken)))
            .WithName("ListConnectors").WithSummary("Every connector (never its credential or secret).");

        group.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (DestinationService destinations, Guid id, CancellationToken cancellationToken) =>
                (await destinations.DeleteAsync(DestinationKind.Rest, id, cancellationToken)).ToNoContent())
            .WithName("DeleteConnector").WithSummary("Remove a connector and its queue.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ProblemHttpResult>> (
                    DestinationService destinations, Guid id, string? status, long? after, int? limit, CancellationToken cancellationToken) =>
                WebhooksApi.ParseStatus(status) is { IsSuccess: false } bad ? bad.Error!.ToProblem()
                    : (await destinations.DeliveriesAsync(DestinationKind.Rest, id, WebhooksApi.ParseStatus(status).Value, after, limit, cancellationToken)).ToOk())
            .WithName("ListConnectorDeliveries").WithSummary("A connector's deliveries, oldest first; `status=dead` lists its dead letters.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:guid}/replay", async Task<Results<Ok<WebhooksApi.Replayed>, ProblemHttpResult>> (
                    DestinationService destinations, Guid id, WebhooksApi.ReplayInput? input, CancellationToken cancellationToken) =>
                (await destinations.ReplayAsync(DestinationKind.Rest, id, null, input?.Since, cancellationToken)).ToOk(n => new WebhooksApi.Replayed(n)))
            .WithName("ReplayConnector").WithSummary("Send again: every dead letter, or with `since` every wanted message from then on.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var delivery = v1.MapGroup("/delivery").WithTags("Connectors");

        delivery.MapGet("/destinations", async (DestinationService destinations, DeliveryChannels channels, TimeProvider time, CancellationToken cancellationToken) =>
                TypedResults.Ok(await destinations.HealthAsync(id => channels.Get(id, time.GetUtcNow().UtcDateTime), cancellationToken)))
            .WithName("DeliveryHealth")
            .WithSummary("Every webhook and connector: its channel (primary, backup, holding; as this node sees it), rate-limit pause, pending and dead deliveries, and the oldest pending event's time.");

        delivery.MapGet("/alerts", async Task<Results<Ok<IReadOnlyList<DeliveryAlertView>>, ProblemHttpResult>> (
                    DestinationService destinations, long? after, int? limit, CancellationToken cancellationToken) =>
                (await destinations.AlertsAsync(after, limit, cancellationToken)).ToOk())
            .WithName("DeliveryAlerts").WithSummary("Failover alerts, oldest first (`after` an id to page): failover to the backup, holding, recovered.");
    }
}
