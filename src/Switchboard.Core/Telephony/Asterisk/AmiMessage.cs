namespace Switchboard.Core.Telephony.Asterisk;

/// <summary>One Asterisk Manager Interface message: "Key: Value" lines up to a blank line. Keys compare case-insensitively.</summary>
public sealed class AmiMessage(Dictionary<string, string> fields)
{
    /// <summary>The event name (<c>Event:</c>), or null for a response.</summary>
    public string? Event => this["Event"];

    /// <summary>The response (<c>Response:</c>: Success, Error), or null for an event.</summary>
    public string? Response => this["Response"];

    public string? this[string key] => fields.TryGetValue(key, out var value) ? value : null;

    public IReadOnlyDictionary<string, string> Fields => fields;
}
