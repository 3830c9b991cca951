using Microsoft.Extensions.Options;
using PhoneNumbers;
using Switchboard.Core.Customers;

namespace Switchboard.Core.Identification;

/// <summary>
/// Turns any written form of a phone number into E.164 with libphonenumber, reading numbers without a
/// country code in <see cref="TelephonyOptions.DefaultRegion"/>. Stored numbers and look-up queries go
/// through the same method, so "138-0013-8000", "+86 138 0013 8000" and "008613800138000" meet.
/// </summary>
public sealed class PhoneNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private readonly string _region;

    public PhoneNormalizer(IOptions<TelephonyOptions> options)
    {
        _region = options.Value.DefaultRegion;
        if (!Util.GetSupportedRegions().Contains(_region))
        {
            throw new ArgumentException($"Telephony:DefaultRegion '{_region}' is not a region libphonenumber knows.", nameof(options));
        }
    }

    /// <summary>The region numbers without a country code are read in.</summary>
    public string DefaultRegion => _region;

    /// <summary>Parses <paramref name="raw"/>; never throws for bad input: the result says how far it got.</summary>
    public PhoneNumber Normalize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        // NFKC folds full-width forms ("＋８６ １３８…", common in Chinese data) to ASCII before parsing.
        var text = raw.Normalize(System.Text.NormalizationForm.FormKC).Trim();
        // libphonenumber reads national forms, "+86 ...", and the default region's exit code ("0086..." in CN).
        if (text.Length is 0 or > 64 || !text.Any(char.IsAsciiDigit))
        {
            return new PhoneNumber(raw, null, ContactPointStatus.Invalid);
        }

        try
        {
            var parsed = Util.Parse(text, _region);
            if (!Util.IsPossibleNumber(parsed))
            {
                return new PhoneNumber(raw, null, ContactPointStatus.Invalid);
            }

            var e164 = Util.Format(parsed, PhoneNumberFormat.E164);
            return new PhoneNumber(raw, e164, Util.IsValidNumber(parsed) ? ContactPointStatus.Valid : ContactPointStatus.Possible);
        }
        catch (NumberParseException)
        {
            return new PhoneNumber(raw, null, ContactPointStatus.Invalid);
        }
    }
}
