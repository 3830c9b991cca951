using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Core.Telephony;

/// <summary>Tokens, their hashes and request signatures for telephony sources. Pure; time is passed in.</summary>
public static class SourceSecrets
{
    /// <summary>How old a signed request may be; older ones are refused as replays.</summary>
    public static readonly TimeSpan MaxSignatureAge = TimeSpan.FromMinutes(5);

    /// <summary>A new random secret: 32 bytes, base64url.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// The signature of a request body: <c>sha256=</c> + hex HMAC-SHA256 over <c>{timestamp}.{body}</c>, with the
    /// timestamp in Unix seconds (as Stripe and Slack sign their webhooks).
    /// </summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Checks a signature and its age; compares in constant time.</summary>
    public static SignatureCheck Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.Missing;
        }
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return SignatureCheck.Invalid;
        }
        var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(timestamp, 0, 253_402_300_799));
        if (age > MaxSignatureAge || age < -MaxSignatureAge)
        {
            return SignatureCheck.Expired;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signatureHeader.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.Invalid;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The result of checking a request signature.</summary>
public enum SignatureCheck { Valid, Missing, Invalid, Expired }
