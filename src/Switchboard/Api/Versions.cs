using Microsoft.Net.Http.Headers;
using Switchboard.Core.Customers;

namespace Switchboard.Api;

/// <summary>Record versions over HTTP: sent as a strong ETag, taken back from If-Match (or the body).</summary>
internal static class Versions
{
    public static void SetETag(HttpResponse response, IRecordView record) =>
        response.Headers.ETag = new EntityTagHeaderValue($"\"{record.Version}\"").ToString();

    /// <summary>The version in If-Match (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>), else <paramref name="fallback"/>.</summary>
    public static long? FromIfMatch(HttpRequest request, long? fallback)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return fallback;
        }
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        // An If-Match that is not a version of ours matches nothing: treat it as a stale version (409), never as "any".
        return long.TryParse(text.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }

    /// <summary><see cref="FromIfMatch"/> for documents versioned 1, 2, 3… as ints (rules and configurations); null without If-Match.</summary>
    public static int? IntFromIfMatch(HttpRequest request) =>
        FromIfMatch(request, null) is { } version ? version is >= 0 and <= int.MaxValue ? (int)version : -1 : null;
}
