using System.Globalization;
using Switchboard.Core.Calls;

namespace Switchboard.Core.Telephony.Asterisk;

/// <summary>
/// Turns AMI events into canonical call events. A call is the <c>Linkedid</c> every channel of it carries; an agent is
/// the extension of the channel that rings or answers (PJSIP/201-0000002a → 201), mapped through the source's
/// extension map. Events that say nothing about a call's course are ignored. Pure, apart from the map of live calls
/// to their caller's channel it keeps (routing redirects that channel to the agent chosen).
/// </summary>
public sealed class AmiCallCorrelator(TelephonySource source)
{
    private readonly Dictionary<string, string> _callerChannels = new(StringComparer.Ordinal);

    /// <summary>The caller's channel of a live call (<c>PJSIP/trunk-00000001</c>), which an AMI <c>Redirect</c> moves.</summary>
    public string? CallerChannel(string linkedId)
    {
        lock (_callerChannels)
        {
            return _callerChannels.GetValueOrDefault(linkedId);
        }
    }

    /// <summary>
    /// Forgets the channels of calls that <paramref name="gone"/> says are over (their hang-up may have been missed
    /// while the AMI session was down); returns how many were forgotten.
    /// </summary>
    public int Forget(Func<string, bool> gone)
    {
        lock (_callerChannels)
        {
            var stale = _callerChannels.Keys.Where(gone).ToList();
            stale.ForEach(id => _callerChannels.Remove(id));
            return stale.Count;
        }
    }

    /// <summary>The extension an agent is reached at: the one the source maps to them, else their id.</summary>
    public string ExtensionOfAgent(string agentId) =>
        source.Extensions.FirstOrDefault(e => string.Equals(e.Value, agentId, StringComparison.Ordinal)).Key ?? agentId;

    /// <summary>The canonical events this AMI event stands for (often none).</summary>
    public IReadOnlyList<CallEvent> Map(AmiMessage message, DateTime receivedAt)
    {
        var linkedId = message["Linkedid"];
        var uniqueId = message["Uniqueid"];
        if (message.Event is not { } name || string.IsNullOrEmpty(linkedId) || string.IsNullOrEmpty(uniqueId))
        {
            return [];
        }
        var at = TimestampOf(message) ?? receivedAt;
        CallEvent Event(CallEventKind kind, string key) =>
            new(source.Name, linkedId, $"{name}:{key}", kind, at, Queue: Blank(message["Queue"]));
        var isCaller = uniqueId == linkedId;

        switch (name)
        {
            case "Newchannel" when isCaller:
                if (message["Channel"] is { Length: > 0 } channel)
                {
                    lock (_callerChannels)
                    {
                        _callerChannels[linkedId] = channel;
                    }
                }
                var callerExtension = ExtensionOf(message["Channel"]);
                var outbound = callerExtension is not null && source.Extensions.ContainsKey(callerExtension);
                return [Event(CallEventKind.Offered, uniqueId) with
                {
                    Direction = outbound ? CallDirection.Outbound : CallDirection.Inbound,
                    From = Blank(message["CallerIDNum"]),
                    To = Blank(message["Exten"]),
                    AgentId = outbound ? source.AgentFor(callerExtension) : null,
                    Queue = source.DefaultQueue,
                }];
            case "QueueCallerJoin":
                return [Event(CallEventKind.Queued, uniqueId + ":" + message["Queue"])];
            // Queue members are agents by definition; a plain dial is an agent only when it dials a mapped extension
            // (an outbound call dials a trunk, not an agent).
            case "AgentCalled":
                return AgentEvent(CallEventKind.Ringing, message["DestChannel"] ?? message["Interface"], message["MemberName"], Event, message["DestUniqueid"] ?? message["Interface"], mappedOnly: false);
            case "DialBegin":
                return AgentEvent(CallEventKind.Ringing, message["DestChannel"], null, Event, message["DestUniqueid"], mappedOnly: true);
            case "AgentConnect":
                return AgentEvent(CallEventKind.Answered, message["DestChannel"] ?? message["Interface"], message["MemberName"], Event, message["DestUniqueid"] ?? message["Interface"], mappedOnly: false);
            case "DialEnd" when message["DialStatus"] == "ANSWER":
                return AgentEvent(CallEventKind.Answered, message["DestChannel"], null, Event, message["DestUniqueid"], mappedOnly: true);
            case "Hangup" when isCaller:
                lock (_callerChannels)
                {
                    _callerChannels.Remove(linkedId);
                }
                return [Event(CallEventKind.Ended, uniqueId) with { Cause = CauseOf(message["Cause"]) }];
            default:
                return [];
        }
    }

    /// <summary>Q.850 cause codes as Asterisk reports them in <c>Cause</c>.</summary>
    public static EndCause CauseOf(string? cause) => cause switch
    {
        "16" => EndCause.Normal,
        "17" => EndCause.Busy,
        "18" or "19" => EndCause.NoAnswer,
        "21" => EndCause.Rejected,
        "0" or null or "" => EndCause.Unknown,
        _ => EndCause.Failed,
    };

    /// <summary>The extension in a channel name: "PJSIP/201-0000002a" and "SIP/201-1" give 201, "Local/201@agents-1;1" gives 201.</summary>
    public static string? ExtensionOf(string? channel)
    {
        if (string.IsNullOrEmpty(channel))
        {
            return null;
        }
        var slash = channel.IndexOf('/', StringComparison.Ordinal);
        var name = slash >= 0 ? channel[(slash + 1)..] : channel;
        var end = name.IndexOfAny(['-', '@', ';']);
        var extension = end >= 0 ? name[..end] : name;
        return extension.Length > 0 ? extension : null;
    }

    private List<CallEvent> AgentEvent(CallEventKind kind, string? channel, string? memberName,
        Func<CallEventKind, string, CallEvent> make, string? discriminator, bool mappedOnly)
    {
        var extension = ExtensionOf(channel) ?? memberName;
        if (extension is null || (mappedOnly && !source.Extensions.ContainsKey(extension)))
        {
            return [];
        }
        var agent = source.AgentFor(extension)!;
        return [make(kind, discriminator ?? agent) with { AgentId = agent }];
    }

    private static DateTime? TimestampOf(AmiMessage message) =>
        double.TryParse(message["Timestamp"], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTime.UnixEpoch.AddSeconds(seconds)
            : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) || value == "<unknown>" ? null : value.Trim();
}
