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
}
