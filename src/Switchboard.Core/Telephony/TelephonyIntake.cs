using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Diagnostics;

namespace Switchboard.Core.Telephony;

/// <summary>
/// The one way every adapter (Zammad CTI, generic JSON, Twilio, Asterisk AMI) hands its mapped events to the call
/// registry: in order, each counted in <c>switchboard.telephony.events</c> by source kind and outcome, the first
/// refused event ending the batch.
/// </summary>
public static class TelephonyIntake
{
    /// <summary>
    /// Accepts <paramref name="events"/>; an empty list (an event kind the adapter ignores) is counted as ignored.
    /// Returns the last acceptance (null when there was nothing to accept) or the first refusal.
    /// </summary>
    public static async Task<Result<CallAcceptance?>> AcceptAsync(
        CallRegistry calls, TelephonySource source, IReadOnlyList<CallEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            Count(source, "ignored");
            return (CallAcceptance?)null;
        }
        CallAcceptance? last = null;
        foreach (var e in events)
        {
            var accepted = await calls.AcceptAsync(e, cancellationToken);
            if (!accepted.IsSuccess)
            {
                Count(source, "refused");
                return accepted.Error;
            }
            last = accepted.Value;
            Count(source, WireNames.Of(last.Outcome));
        }
        return last;
    }

    private static void Count(TelephonySource source, string outcome) =>
        SwitchboardTelemetry.TelephonyEvents.Add(1,
            new KeyValuePair<string, object?>("source_kind", WireNames.Of(source.Kind)),
            new KeyValuePair<string, object?>("outcome", outcome));
}
