using System.Globalization;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Telephony;

/// <summary>
/// Twilio Voice webhooks to canonical call events (Twilio's documented parameters: <c>CallSid</c>, <c>From</c>,
/// <c>To</c>, <c>Direction</c>, <c>CallStatus</c>, <c>Timestamp</c> on status callbacks).
/// </summary>
public static class TwilioMapper
{
    /// <summary>The voice webhook: a call arrives and Switchboard enqueues it (offered, then queued).</summary>
    public static Result<IReadOnlyList<CallEvent>> Voice(Func<string, string?> field, TelephonySource source, DateTime receivedAt)
    {
        if (Validate(field) is { } invalid)
        {
            return invalid;
        }
        var offered = Event(field, source, "voice", CallEventKind.Offered, receivedAt);
        return new[] { offered, offered with { EventKey = "voice:queued", Kind = CallEventKind.Queued } };
    }

    /// <summary>A status callback; an empty list for a status that changes nothing here (queued, initiated).</summary>
    public static Result<IReadOnlyList<CallEvent>> Status(Func<string, string?> field, TelephonySource source, DateTime receivedAt)
    {
        if (Validate(field) is { } invalid)
        {
            return invalid;
        }
        var status = field("CallStatus");
        var at = DateTimeOffset.TryParse(field("Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamped)
            ? stamped.UtcDateTime
            : receivedAt;
        CallEvent Make(CallEventKind kind, EndCause? cause = null) => Event(field, source, "status:" + status, kind, at) with { Cause = cause };
        return status switch
        {
            "ringing" => new[] { Make(CallEventKind.Ringing) },
            "in-progress" => new[] { Make(CallEventKind.Answered) },
            "completed" => new[] { Make(CallEventKind.Ended, EndCause.Normal) },
            "busy" => new[] { Make(CallEventKind.Ended, EndCause.Busy) },
            "no-answer" => new[] { Make(CallEventKind.Ended, EndCause.NoAnswer) },
            "failed" => new[] { Make(CallEventKind.Ended, EndCause.Failed) },
            "canceled" => new[] { Make(CallEventKind.Ended, EndCause.CallerHungUp) },
            _ => Array.Empty<CallEvent>(),
        };
    }

    private static Error? Validate(Func<string, string?> field)
    {
        var errors = new ValidationErrors();
        errors.Required("CallSid", field("CallSid"), Limits.CallId);
        errors.MaxLength("From", field("From"), Limits.Code);
        errors.MaxLength("To", field("To"), Limits.Code);
        return errors.Any ? errors.ToError() : null;
    }

    private static CallEvent Event(Func<string, string?> field, TelephonySource source, string key, CallEventKind kind, DateTime at) =>
        new(source.Name, field("CallSid")!.Trim(), key, kind, at,
            field("Direction") is { } direction && direction.StartsWith("outbound", StringComparison.Ordinal) ? CallDirection.Outbound : CallDirection.Inbound,
            Blank(field("From")), Blank(field("To")), source.DefaultQueue);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
