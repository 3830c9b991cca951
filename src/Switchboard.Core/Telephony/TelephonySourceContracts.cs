namespace Switchboard.Core.Telephony;

/// <summary>Creates or replaces a telephony source.</summary>
public sealed record TelephonySourceInput
{
    /// <summary>Unique; letters, digits, '-', '_' and '.'; at most 64. Required on create.</summary>
    public string? Name { get; init; }

    /// <summary>Required on create; cannot change later.</summary>
    public TelephonySourceKind? Kind { get; init; }

    public string? DefaultQueue { get; init; }

    /// <summary>For Twilio: the AccountSid (required). For Asterisk: the AMI user name (required).</summary>
    public string? Account { get; init; }

    /// <summary>
    /// For Twilio: the account's Auth Token, which Twilio signs webhooks with. For Asterisk: the AMI secret. Required on
    /// create for those two; other kinds get a secret made for them.
    /// </summary>
    public string? SigningSecret { get; init; }

    /// <summary>For Asterisk: the AMI endpoint, <c>host:port</c> (required).</summary>
    public string? Endpoint { get; init; }

    /// <summary>Extension or PBX user → agent id.</summary>
    public IReadOnlyDictionary<string, string>? Extensions { get; init; }

    /// <summary>Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>On replace: the version read (or send it in If-Match).</summary>
    public long? Version { get; init; }
}

/// <summary>A telephony source as shown; its secrets never are, except once in <see cref="TelephonySourceCredentials"/>.</summary>
public sealed record TelephonySourceView(
    Guid Id, string Name, TelephonySourceKind Kind, string? Account, string? Endpoint, string? DefaultQueue, IReadOnlyDictionary<string, string> Extensions,
    bool Enabled, long Version, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A source with its token and signing secret, returned once when they are made.</summary>
/// <param name="Source">The source.</param>
/// <param name="Token">For Zammad CTI the URL token (<c>/api/v1/cti/{token}</c>); for generic sources the <c>X-Api-Key</c>.</param>
/// <param name="SigningSecret">The HMAC-SHA256 key for <c>X-Switchboard-Signature</c>.</param>
public sealed record TelephonySourceCredentials(TelephonySourceView Source, string Token, string SigningSecret);
