using Switchboard.Core.Customers;

namespace Switchboard.Core.Telephony;

/// <summary>The kinds of telephony source Switchboard takes calls from.</summary>
public enum TelephonySourceKind
{
    /// <summary>A PBX speaking Zammad's Generic CTI (<c>POST /api/v1/cti/{token}</c>).</summary>
    ZammadCti,

    /// <summary>Switchboard's own JSON events (<c>POST /api/v1/telephony/events</c>), signed or with the source's key.</summary>
    Generic,

    /// <summary>Twilio Voice webhooks.</summary>
    Twilio,

    /// <summary>An Asterisk server followed over AMI.</summary>
    Asterisk,
}

/// <summary>
/// A configured telephony source: how it authenticates (a token, kept only as its SHA-256; a signing secret),
/// the queue its calls default to, and which agent each of its extensions belongs to.
/// </summary>
public sealed class TelephonySource : CrmRecord
{
    /// <summary>Unique name, e.g. "pbx-shanghai"; events carry it as their source.</summary>
    public string Name { get; set; } = "";

    public TelephonySourceKind Kind { get; set; }

    /// <summary>SHA-256 (hex) of the source's token. The token itself is shown once, when made, and never stored.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary>
    /// The signing secret: for generic sources an HMAC-SHA256 key we made (base64url); for Twilio the account's Auth
    /// Token, which Twilio signs its webhooks with. Stored as is: verifying a signature needs it.
    /// </summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The source's account at its platform (Twilio's AccountSid), which identifies a Twilio webhook's source.</summary>
    public string? Account { get; set; }

    /// <summary>For Asterisk: the AMI endpoint, <c>host:port</c> (port 5038 when omitted).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The queue a call goes to when its events name none.</summary>
    public string? DefaultQueue { get; set; }

    /// <summary>Extension (or PBX user) → Switchboard agent id.</summary>
    public Dictionary<string, string> Extensions { get; set; } = [];

    public bool Enabled { get; set; } = true;

    /// <summary>The agent an extension or PBX user name maps to; unmapped values are taken as agent ids.</summary>
    public string? AgentFor(string? extensionOrUser) =>
        string.IsNullOrWhiteSpace(extensionOrUser) ? null
        : Extensions.TryGetValue(extensionOrUser.Trim(), out var agent) ? agent
        : extensionOrUser.Trim();
}
