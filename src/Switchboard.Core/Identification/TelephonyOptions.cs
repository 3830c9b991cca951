using System.ComponentModel.DataAnnotations;

namespace Switchboard.Core.Identification;

/// <summary>Host settings under <c>Telephony</c>.</summary>
public sealed class TelephonyOptions
{
    /// <summary>
    /// ISO 3166 region used to read numbers written without a country code ("138 0013 8000" in CN).
    /// Default "CN"; must be a region libphonenumber knows.
    /// </summary>
    [Required, RegularExpression("^[A-Z]{2}$")]
    public string DefaultRegion { get; set; } = "CN";

    /// <summary>
    /// The public base URL Twilio calls (e.g. <c>https://switchboard.example.com</c>), when Switchboard sits behind a
    /// proxy: Twilio signs the URL it requested. Default: the URL the request arrived at.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The dialplan context Asterisk calls are redirected into when routing offers them to an agent: the agent's
    /// extension, priority 1, in this context. Default <c>from-internal</c>.
    /// </summary>
    [Required, RegularExpression("^[A-Za-z0-9_-]{1,80}$")]
    public string AsteriskAgentContext { get; set; } = "from-internal";

    /// <summary>Where Twilio's REST API is (call updates that ring an agent). Default Twilio's; tests point it at a local fake.</summary>
    [Url]
    public string? TwilioApiBaseUrl { get; set; }

    /// <summary>
    /// A Twilio TaskRouter workflow (WW…) to enqueue calls into as tasks carrying routing's decision (priority,
    /// rule, bypass); unset, calls wait in a plain Twilio queue and Switchboard's engine keeps their order.
    /// </summary>
    [RegularExpression("^WW[0-9a-fA-F]{32}$")]
    public string? TwilioWorkflowSid { get; set; }

    /// <summary>
    /// A queued Twilio call offered to an agent rings them this much longer than routing's ring timeout before Twilio
    /// puts it back in the queue by itself (routing normally moves it on first). Default 5 s.
    /// </summary>
    [Range(0, 60)]
    public int TwilioDialGraceSeconds { get; set; } = 5;
}
