using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Switchboard.Core.Identification;
using Switchboard.Core.Routing;
using Switchboard.Core.Telephony;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace Switchboard.CallControl;

/// <summary>
/// Rings an agent for a Twilio call, through Twilio's own client library: the voice webhook's TwiML for a direct
/// offer, and for a call routing offers later (it waited in a queue), an update of the live call
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c> with new <c>Twiml</c>), which takes it out
/// of the Twilio queue. Either way the TwiML dials the agent's Twilio Client identity (the agent id) and, should
/// nobody answer before the dial times out, puts the caller back in the queue: a caller is never dropped.
/// </summary>
internal sealed class TwilioCallControl(IHttpClientFactory http, IOptions<TelephonyOptions> options)
{
    public const string HttpClientName = "twilio";

    /// <summary>Where Twilio reports how a dial to an agent ended (<see cref="AfterDial"/> answers it).</summary>
    public const string DialEndedPath = "/api/v1/telephony/twilio/dial-ended";

    /// <summary>
    /// TwiML that rings the agent. How the dial ended comes back to <see cref="DialEndedPath"/>: unanswered, the caller
    /// goes back into the queue; after a conversation, the call ends (verbs after a <c>&lt;Dial&gt;</c> would run in
    /// both cases, putting a caller whose agent hung up back on hold).
    /// </summary>
    public VoiceResponse RingAgent(string agentId, TimeSpan ringTimeout)
    {
        var dial = new Dial(action: new Uri(DialEndedPath, UriKind.Relative), timeout: (int)ringTimeout.TotalSeconds + options.Value.TwilioDialGraceSeconds);
        dial.Client(agentId);
        return new VoiceResponse().Append(dial);
    }

    /// <summary>The answer to Twilio's report of a dial's end: back into the queue unless the agent took the call.</summary>
    public VoiceResponse AfterDial(string? dialCallStatus, RoutingDecision? decision, string fallbackQueue) =>
        dialCallStatus is "completed" or "answered" ? new VoiceResponse().Hangup()
        : decision is not null ? Enqueue(decision) : new VoiceResponse().Enqueue(fallbackQueue);

    /// <summary>
    /// TwiML that queues the caller where the rule said. Switchboard's engine keeps the order (priority, bypass, age
    /// credit) and takes calls out of the queue itself; with <c>Telephony:TwilioWorkflowSid</c> set, the call is a
    /// TaskRouter task instead, whose <c>&lt;Task priority&gt;</c> and attributes carry the decision (a bypass ranks
    /// above every priority) for a TaskRouter workflow to use.
    /// </summary>
    public VoiceResponse Enqueue(RoutingDecision decision) => new VoiceResponse().Append(Queue(decision));

    private Enqueue Queue(RoutingDecision decision)
    {
        if (options.Value.TwilioWorkflowSid is not { } workflow)
        {
            return new Enqueue(decision.Queue);
        }
        var attributes = JsonSerializer.Serialize(new { queue = decision.Queue, rule = decision.Rule, priority = decision.Priority, bypass = decision.Bypass });
        return new Enqueue(workflowSid: workflow).Task(attributes, priority: decision.Priority + (decision.Bypass ? BypassRank : 0));
    }

    /// <summary>Added to a bypassing call's TaskRouter priority, so it outranks every call that does not bypass.</summary>
    private const int BypassRank = 1_000_000;

    /// <summary>Redirects a live call to ring the agent. A call Twilio no longer knows (it ended) is <c>NotFound</c>.</summary>
    public async Task<Result<bool>> RingAgentAsync(
        TelephonySource source, string callSid, string agentId, TimeSpan ringTimeout, CancellationToken cancellationToken)
    {
        var client = new TwilioRestClient(source.Account, source.SigningSecret, source.Account,
            httpClient: new SystemNetHttpClient(http.CreateClient(HttpClientName)));
        try
        {
            await CallResource.UpdateAsync(
                new UpdateCallOptions(callSid) { PathAccountSid = source.Account, Twiml = new Twilio.Types.Twiml(RingAgent(agentId, ringTimeout).ToString(SaveOptions.DisableFormatting)) },
                client);
            return true;
        }
        catch (ApiException e) when (e.Status == 404)
        {
            return Error.NotFound("Twilio call");
        }
        catch (ApiException e)
        {
            return new Error(ErrorKind.Unavailable, "telephony.action_refused", $"Twilio refused the call update (HTTP {e.Status}, code {e.Code}).");
        }
        catch (ApiConnectionException)
        {
            return new Error(ErrorKind.Unavailable, "telephony.action_failed", "Twilio's API could not be reached.");
        }
    }
}

/// <summary>
/// Sends Twilio's API requests to <c>Telephony:TwilioApiBaseUrl</c> when it is set (a local fake of Twilio's API in
/// tests, or an egress proxy), keeping path and query.
/// </summary>
internal sealed class TwilioApiBaseAddress(IOptions<TelephonyOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.Value.TwilioApiBaseUrl is { } baseUrl && request.RequestUri is { } uri)
        {
            var target = new Uri(baseUrl);
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
