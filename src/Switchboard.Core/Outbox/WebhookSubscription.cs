using Switchboard.Core.Security;

namespace Switchboard.Core.Outbox;

/// <summary>
/// An outbound webhook: the events it wants, where they go, and the secret they are signed with (HMAC-SHA256 over
/// <c>{timestamp}.{body}</c>, shown once when made). Its role decides what of the customer data it sees
/// (<see cref="FieldPolicy"/>), as for any other viewer; systems are usually <see cref="Role.Integration"/>.
/// </summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>Event types, comma-separated; <c>*</c> for all, <c>ticket.*</c> for a record type's.</summary>
    public string Events { get; set; } = "*";

    public string Secret { get; set; } = "";

    public Role Role { get; set; } = Role.Integration;

    /// <summary>Attempts before a delivery goes to the dead letters. Default 8 (about 20 minutes with the backoff).</summary>
    public int MaxAttempts { get; set; } = 8;

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public long Version { get; set; }

    /// <summary>Whether <paramref name="type"/> (e.g. <c>ticket.created</c>) is wanted.</summary>
    public bool Wants(string type)
    {
        foreach (var wanted in Events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (wanted == "*" || wanted == type || (wanted.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(wanted[..^1], StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }
}
