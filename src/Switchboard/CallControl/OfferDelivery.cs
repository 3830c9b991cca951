using System.Threading.Channels;
using Switchboard.Core.Common;
using Switchboard.Core.Diagnostics;
using Switchboard.Core.Routing;
using Switchboard.Core.Telephony;
using Switchboard.Hosting;

namespace Switchboard.CallControl;

/// <summary>
/// Gives routing's later offers (a waiting call offered when an agent frees up, the next agent after a ring timed
/// out) to the telephony side the call came from: Twilio calls are updated to ring the agent; Asterisk calls are
/// redirected to the agent's extension over AMI. Calls from generic and Zammad-style sources are controlled by their
/// PBX, which reads the offer from <c>GET /api/v1/routing/calls/{id}</c>. Offers of one call are delivered in order
/// (one lane per call, by hash); different calls' offers do not wait for each other. A failed delivery is logged
/// by call id and counted; routing's ring timeout then offers the call to the next agent.
/// </summary>
internal sealed partial class OfferDelivery(
    RoutingService routing, IServiceScopeFactory scopes, AsteriskConnections asterisk, TwilioCallControl twilio, ILogger<OfferDelivery> logger)
    : BackgroundService
{
    private const int Lanes = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lanes = Enumerable.Range(0, Lanes).Select(_ => Channel.CreateUnbounded<Offer>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
        var workers = lanes.Select(lane => RunLaneAsync(lane.Reader, stoppingToken)).ToArray();
        try
        {
            await foreach (var offer in routing.LaterOffers.ReadAllAsync(stoppingToken))
            {
                lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(offer.CallId) % Lanes)].Writer.TryWrite(offer);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }
        await Task.WhenAll(workers);
    }

    private async Task RunLaneAsync(ChannelReader<Offer> offers, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var offer in offers.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await DeliverAsync(offer, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.Failed(logger, offer.CallId, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Rings the offered agent on the call's own platform; ids are "source/call id", as routing keeps them.</summary>
    public async Task<Result<bool>> DeliverAsync(Offer offer, CancellationToken cancellationToken)
    {
        if (!RoutedCallIds.TrySplit(offer.CallId, out var sourceName, out var sourceCallId))
        {
            return ApiOnly("none"); // routed through the API with an id of its own: the caller reads the offer there
        }
        TelephonySource? source;
        await using (var scope = scopes.CreateAsyncScope())
        {
            source = await scope.ServiceProvider.GetRequiredService<TelephonySourceService>().FindByNameAsync(sourceName, cancellationToken);
        }
        // Only an offer that still stands is given: the call may have been answered, ended, or offered on since.
        if (source?.Kind is not (TelephonySourceKind.Twilio or TelephonySourceKind.Asterisk))
        {
            return ApiOnly(source is null ? "none" : source.Kind.ToString());
        }
        if (routing.Find(offer.CallId) is not { IsSuccess: true, Value: { State: "ringing", Agent: var agent, Decision.Queue: var queue } } || agent != offer.AgentId)
        {
            return ApiOnly(source.Kind.ToString());
        }
        var delivered = source.Kind == TelephonySourceKind.Twilio
            ? await twilio.RingAgentAsync(source, sourceCallId, offer.AgentId, routing.RingTimeout, cancellationToken)
            : asterisk.Find(source.Name) is { } client
                ? await client.RedirectAsync(sourceCallId, offer.AgentId, queue, cancellationToken)
                : new Error(ErrorKind.Unavailable, "telephony.disconnected", "The Asterisk source is not connected.");
        if (delivered.Error is { } failed)
        {
            Log.NotDelivered(logger, offer.CallId, failed.Code);
        }
        SwitchboardTelemetry.OffersDelivered.Add(1, new("source_kind", source.Kind.ToString()), new("outcome", delivered.IsSuccess ? "delivered" : "failed"));
        return delivered;
    }

    /// <summary>Nothing to send: the offer is for the API's readers (or the call is gone).</summary>
    private static Result<bool> ApiOnly(string kind)
    {
        SwitchboardTelemetry.OffersDelivered.Add(1, new("source_kind", kind), new("outcome", "api_only"));
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1450, Level = LogLevel.Warning, Message = "Offer of call {CallId} not delivered to its telephony source ({Code}); the ring timeout moves it on")]
        public static partial void NotDelivered(ILogger logger, string callId, string code);

        [LoggerMessage(EventId = 1451, Level = LogLevel.Error, Message = "Delivering the offer of call {CallId} failed ({Error})")]
        public static partial void Failed(ILogger logger, string callId, string error);
    }
}
