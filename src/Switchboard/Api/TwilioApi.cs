using System.Xml.Linq;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Switchboard.CallControl;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Identification;
using Switchboard.Core.Routing;
using Switchboard.Core.Telephony;
using Switchboard.Errors;
using Twilio.Security;
using Twilio.TwiML;

namespace Switchboard.Api;

/// <summary>
/// Twilio Voice webhooks: the voice URL (answered with TwiML that enqueues the call) and the status callback. Every
/// request must carry a valid <c>X-Twilio-Signature</c>, checked with Twilio's own <see cref="RequestValidator"/>
/// against the URL Twilio called (<c>Telephony:PublicBaseUrl</c> behind a proxy).
/// </summary>
internal static class TwilioApi
{
    /// <summary>
    /// The routing decision as TwiML: the agent offered (a Twilio Client identity equal to the agent id), or the queue
    /// the matching rule named. Priority and the widening steps stay in Switchboard's engine, which offers the call
    /// to the next eligible agent as agents free up (<see cref="OfferDelivery"/> updates the live call then).
    /// </summary>
    private static async Task<VoiceResponse> RouteAsync(
        RoutingService routing, TwilioCallControl control, TelephonySource source, Func<string, string?> field, CancellationToken cancellationToken)
    {
        var routed = await routing.DecideAsync(new RoutingRequest(RoutedCallIds.Of(source.Name, field("CallSid") ?? ""), field("From"), source.DefaultQueue, "inbound"), cancellationToken);
        if (!routed.IsSuccess)
        {
            return new VoiceResponse().Enqueue(source.DefaultQueue ?? "default"); // no routing configured: the source's queue, as before
        }
        if (routed.Value.Offer is { } offer)
        {
            return control.RingAgent(offer.AgentId, routing.RingTimeout);
        }
        return control.Enqueue(routed.Value.Decision);
    }

    public static void MapTwilio(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/telephony/twilio").WithTags("Telephony");

        group.MapPost("/voice", async Task<Results<ContentHttpResult, ProblemHttpResult>> (
                    HttpRequest request, TelephonySourceService sources, CallRegistry calls, RoutingService routing, TwilioCallControl control, TimeProvider time,
                    IOptions<TelephonyOptions> options, CancellationToken cancellationToken) =>
                {
                    var (source, form, refused) = await AuthenticateAsync(request, sources, options.Value, cancellationToken);
                    if (refused is not null)
                    {
                        return refused;
                    }
                    var mapped = TwilioMapper.Voice(Field(form!), source!, time.GetUtcNow().UtcDateTime);
                    if (await AcceptAsync(mapped, source!, calls, cancellationToken) is { } failed)
                    {
                        return failed;
                    }
                    return TypedResults.Content((await RouteAsync(routing, control, source!, Field(form!), cancellationToken)).ToString(SaveOptions.DisableFormatting), "application/xml");
                })
            .WithName("TwilioVoiceWebhook")
            .WithSummary("Twilio's voice URL: the call is offered and routed. With a routing configuration, TwiML <Dial><Client> to the agent offered (then <Enqueue> should the dial end unanswered), or <Enqueue> into the queue the rules chose; without one, <Enqueue> into the source's default queue.")
            .Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/dial-ended", async Task<Results<ContentHttpResult, ProblemHttpResult>> (
                    HttpRequest request, TelephonySourceService sources, RoutingService routing, TwilioCallControl control,
                    IOptions<TelephonyOptions> options, CancellationToken cancellationToken) =>
                {
                    var (source, form, refused) = await AuthenticateAsync(request, sources, options.Value, cancellationToken);
                    if (refused is not null)
                    {
                        return refused;
                    }
                    var field = Field(form!);
                    var routed = routing.Find(RoutedCallIds.Of(source!.Name, field("CallSid") ?? ""));
                    var twiml = control.AfterDial(field("DialCallStatus"), routed.IsSuccess ? routed.Value.Decision : null, source.DefaultQueue ?? "default");
                    return TypedResults.Content(twiml.ToString(SaveOptions.DisableFormatting), "application/xml");
                })
            .WithName("TwilioDialEnded")
            .WithSummary("Twilio's <Dial action>: after a dial to an agent, <Hangup/> if the agent took the call, else <Enqueue> back into the call's queue.")
            .Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/status", async Task<Results<NoContent, ProblemHttpResult>> (
                    HttpRequest request, TelephonySourceService sources, CallRegistry calls, TimeProvider time,
                    IOptions<TelephonyOptions> options, CancellationToken cancellationToken) =>
                {
                    var (source, form, refused) = await AuthenticateAsync(request, sources, options.Value, cancellationToken);
                    if (refused is not null)
                    {
                        return refused;
                    }
                    var mapped = TwilioMapper.Status(Field(form!), source!, time.GetUtcNow().UtcDateTime);
                    return await AcceptAsync(mapped, source!, calls, cancellationToken) is { } failed ? failed : TypedResults.NoContent();
                })
            .WithName("TwilioStatusCallback").WithSummary("Twilio's status callback: ringing, in-progress, completed, busy, no-answer, failed, canceled.")
            .Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<(TelephonySource? Source, IFormCollection? Form, ProblemHttpResult? Refused)> AuthenticateAsync(
        HttpRequest request, TelephonySourceService sources, TelephonyOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return (null, null, new Error(ErrorKind.UnsupportedMediaType, "unsupported_media_type", "Twilio posts form fields.").ToProblem());
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return (null, null, new Error(ErrorKind.Validation, ErrorCodes.MalformedBody, "The form body could not be read.").ToProblem());
        }
        var account = form["AccountSid"].ToString();
        var source = account.Length is > 0 and <= 64 ? await sources.FindTwilioAsync(account, cancellationToken) : null;
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        if (source is null || signature.Length == 0)
        {
            return (null, null, Unauthorized("Twilio requests need a configured AccountSid and an X-Twilio-Signature."));
        }
        var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (!new RequestValidator(source.SigningSecret).Validate(PublicUrl(request, options), parameters, signature))
        {
            return (null, null, Unauthorized("X-Twilio-Signature does not match this request."));
        }
        return (source, form, null);
    }

    private static async Task<ProblemHttpResult?> AcceptAsync(
        Result<IReadOnlyList<CallEvent>> mapped, TelephonySource source, CallRegistry calls, CancellationToken cancellationToken)
    {
        if (!mapped.IsSuccess)
        {
            return mapped.Error.ToProblem();
        }
        var accepted = await TelephonyIntake.AcceptAsync(calls, source, mapped.Value, cancellationToken);
        return accepted.IsSuccess ? null : accepted.Error.ToProblem();
    }

    /// <summary>The URL Twilio requested: the configured public base, or the one the request arrived at.</summary>
    private static string PublicUrl(HttpRequest request, TelephonyOptions options) =>
        (options.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}") + request.PathBase + request.Path + request.QueryString;

    private static Func<string, string?> Field(IFormCollection form) =>
        name => form.TryGetValue(name, out var value) ? value.ToString() : null;

    private static ProblemHttpResult Unauthorized(string detail) =>
        new Error(ErrorKind.Unauthorized, "telephony.unauthorized", detail).ToProblem();
}
