using System.Net.Http.Headers;
using System.Text;

namespace Switchboard.Core.Outbox;

/// <summary>A connector's credential: checked when made, put on each request.</summary>
public static class ConnectorAuth
{
    /// <summary>Why <paramref name="credential"/> does not fit <paramref name="scheme"/>, or null.</summary>
    public static string? Check(ConnectorAuthScheme scheme, string? credential)
    {
        if (scheme == ConnectorAuthScheme.None)
        {
            return credential is null ? null : "is given but auth is none.";
        }
        if (string.IsNullOrWhiteSpace(credential) || credential.Length > 4000 || credential.Any(char.IsControl))
        {
            return "is required (at most 4000 characters, no line breaks).";
        }
        return scheme switch
        {
            ConnectorAuthScheme.Basic when !credential.Contains(':') => "for basic auth is user:password.",
            ConnectorAuthScheme.Header when HeaderOf(credential) is not { } header || !IsToken(header.Name) || header.Value.Length == 0
                || header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase) || header.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                => "for header auth is 'Header-Name: value' with a header name of letters, digits and dashes.",
            _ => null,
        };
    }

    /// <summary>Puts the credential on <paramref name="request"/>.</summary>
    public static void Apply(HttpRequestMessage request, ConnectorAuthScheme scheme, string? credential) => Apply(request.Headers, scheme, credential);

    /// <summary>Puts the credential on every request of <paramref name="client"/> (one made for the purpose, from the factory).</summary>
    public static void Apply(HttpClient client, ConnectorAuthScheme scheme, string? credential) => Apply(client.DefaultRequestHeaders, scheme, credential);

    private static void Apply(HttpRequestHeaders headers, ConnectorAuthScheme scheme, string? credential)
    {
        switch (scheme)
        {
            case ConnectorAuthScheme.Bearer:
                headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
                break;
            case ConnectorAuthScheme.Basic:
                headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential ?? "")));
                break;
            case ConnectorAuthScheme.Header when HeaderOf(credential ?? "") is { } header:
                headers.TryAddWithoutValidation(header.Name, header.Value);
                break;
        }
    }

    private static (string Name, string Value)? HeaderOf(string credential)
    {
        var colon = credential.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (credential[..colon].Trim(), credential[(colon + 1)..].Trim());
    }

    private static bool IsToken(string name) => name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
}
