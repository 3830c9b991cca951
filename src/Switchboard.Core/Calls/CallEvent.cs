namespace Switchboard.Core.Calls;

/// <summary>The kind of a canonical call event. Adapters (Zammad CTI, Twilio, Asterisk AMI) map their events to these.</summary>
public enum CallEventKind { Offered, Queued, Ringing, Answered, Held, Resumed, Transferred, Ended }

/// <summary>Which way a call goes, seen from the contact center.</summary>
public enum CallDirection { Inbound, Outbound }

/// <summary>Why a call ended, as far as the source says.</summary>
public enum EndCause { Normal, CallerHungUp, NoAnswer, Busy, Rejected, Failed, Forwarded, Unknown }

/// <summary>
/// One canonical call event, whatever PBX sent it. <paramref name="EventKey"/> identifies the event at its source
/// (a duplicate carries the same key); everything else is optional because sources tell different things.
/// </summary>
/// <param name="Source">The configured telephony source, e.g. "pbx-shanghai".</param>
/// <param name="SourceCallId">The source's id of the call (Zammad callId, Twilio CallSid, AMI Linkedid).</param>
/// <param name="EventKey">The event's identity at the source; the same event delivered twice has the same key.</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When it happened (UTC), by the source's clock.</param>
/// <param name="Direction">Inbound or outbound, when the event says.</param>
/// <param name="From">The calling number as the source wrote it.</param>
/// <param name="To">The called number as the source wrote it.</param>
/// <param name="Queue">The queue the call is in, when the event says.</param>
/// <param name="AgentId">The agent (user or mapped extension) the event concerns.</param>
/// <param name="Cause">For <see cref="CallEventKind.Ended"/>: why.</param>
/// <param name="TransferTo">For <see cref="CallEventKind.Transferred"/>: the agent the call went to.</param>
public sealed record CallEvent(
    string Source,
    string SourceCallId,
    string EventKey,
    CallEventKind Kind,
    DateTime At,
    CallDirection? Direction = null,
    string? From = null,
    string? To = null,
    string? Queue = null,
    string? AgentId = null,
    EndCause? Cause = null,
    string? TransferTo = null);
