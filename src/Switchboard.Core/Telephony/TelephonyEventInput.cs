using Switchboard.Core.Calls;
using Switchboard.Core.Common;

namespace Switchboard.Core.Telephony;

/// <summary>
/// Switchboard's own JSON for a canonical call event (<c>POST /api/v1/telephony/events</c>). Kinds and causes are
/// camelCase names (<c>offered</c>, <c>ringing</c>, <c>callerHungUp</c>); an unknown kind is acknowledged and ignored.
/// </summary>
public sealed record TelephonyEventInput
{
    /// <summary>The source's call id. Required.</summary>
    public string? CallId { get; init; }

    /// <summary>The event's id at the source; a resent event carries the same id. Required.</summary>
    public string? EventId { get; init; }

    /// <summary>offered | queued | ringing | answered | held | resumed | transferred | ended. Required.</summary>
    public string? Kind { get; init; }

    /// <summary>When it happened; default: when Switchboard received it.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>inbound | outbound.</summary>
    public CallDirection? Direction { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    /// <summary>Default: the source's default queue.</summary>
    public string? Queue { get; init; }

    /// <summary>The agent's id in Switchboard; or give <see cref="Extension"/>.</summary>
    public string? Agent { get; init; }

    /// <summary>The PBX extension; mapped to an agent through the source's extension map.</summary>
    public string? Extension { get; init; }

    /// <summary>For ended: normal | callerHungUp | noAnswer | busy | rejected | failed | forwarded | unknown.</summary>
    public EndCause? Cause { get; init; }

    /// <summary>For transferred: the agent (or extension) the call went to.</summary>
    public string? TransferTo { get; init; }

    /// <summary>The canonical event; null when the kind is not one Switchboard knows (ignored, never fatal).</summary>
    public Result<CallEvent?> ToEvent(TelephonySource source, DateTime receivedAt)
    {
        if (string.IsNullOrWhiteSpace(Kind))
        {
            return Error.Validation("kind", "is required.");
        }
        if (!Enum.TryParse<CallEventKind>(Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || Kind.Any(char.IsDigit))
        {
            return (CallEvent?)null;
        }
        return new CallEvent(
            source.Name, CallId?.Trim() ?? "", EventId?.Trim() ?? "", kind, At?.UtcDateTime ?? receivedAt, Direction,
            Blank(From), Blank(To), Blank(Queue) ?? source.DefaultQueue, source.AgentFor(Agent ?? Extension), Cause,
            source.AgentFor(TransferTo));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
