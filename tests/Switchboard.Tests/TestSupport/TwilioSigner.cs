using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// Signs a webhook as Twilio does (twilio.com/docs/usage/security: the full URL, then each POST parameter name and
/// value sorted by name, HMAC-SHA1 with the Auth Token, base64). Twilio's SDK only validates; tests check every
/// signature made here with the SDK's <c>RequestValidator</c> before using it.
/// </summary>
public static class TwilioSigner
{
    public static string Sign(string authToken, string url, IReadOnlyDictionary<string, string> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }
        // HMAC-SHA1 because Twilio's X-Twilio-Signature is HMAC-SHA1; this is Twilio's protocol, not our choice.
#pragma warning disable CA5350
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
        Assert.True(new Twilio.Security.RequestValidator(authToken).Validate(url, parameters.ToDictionary(), signature),
            "Twilio's RequestValidator does not accept the test's signature.");
        return signature;
    }
}
