using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Telephony;

/// <summary>
/// Zammad Generic CTI events to canonical call events. Zammad's events carry no id and no time: the event name
/// and call id (and, for ringing, the user) make the key, so a PBX that resends an event is not counted twice,
/// and the time is when Switchboard received it.
/// </summary>
public static class ZammadCtiMapper
{
    /// <summary>The canonical events, an empty list for an event kind Zammad does not document (ignored, never fatal), or a validation error.</summary>
    public static Result<IReadOnlyList<CallEvent>> Map(ZammadCtiRequest request, TelephonySource source, DateTime receivedAt)
    {
        var errors = new ValidationErrors();
        errors.Required("event", request.Event, Limits.Code);
        errors.Required("callId", request.CallId, Limits.CallId);
        errors.MaxLength("from", request.From, Limits.Code);
        errors.MaxLength("to", request.To, Limits.Code);
        errors.MaxLength("queue", request.Queue, Limits.Code);
        errors.MaxLength("answeringNumber", request.AnsweringNumber, Limits.Code);
        if (request.Users.Count > 100 || request.Users.Any(u => u.Length > Limits.Code))
        {
            errors.Add("user", "must be at most 100 names of at most 64 characters.");
        }
        var direction = request.Direction switch
        {
            "in" => CallDirection.Inbound,
            "out" => CallDirection.Outbound,
            null or "" => (CallDirection?)null,
            _ => Invalid(errors, "direction", "must be 'in' or 'out'."),
        };
        if (errors.Any)
        {
            return errors.ToError();
        }

        var callId = request.CallId!.Trim();
        CallEvent Event(string key, CallEventKind kind) =>
            new(source.Name, callId, key, kind, receivedAt, direction, Clean(request.From), Clean(request.To),
                Clean(request.Queue) ?? source.DefaultQueue);

        var events = new List<CallEvent>();
        switch (request.Event)
        {
            case "newCall":
                events.Add(Event("newCall", CallEventKind.Offered));
                if (direction != CallDirection.Outbound)
                {
                    // Inbound, user[] are the people the call rings at (several for a group call).
                    events.AddRange(request.Users.Select(user =>
                        Event("newCall:ring:" + user, CallEventKind.Ringing) with { AgentId = source.AgentFor(user) }));
                }
                break;
            case "answer":
                events.Add(Event("answer", CallEventKind.Answered) with
                {
                    AgentId = source.AgentFor(request.AnsweringNumber) ?? source.AgentFor(request.Users.Count > 0 ? request.Users[0] : null),
                });
                break;
            case "hangup":
                events.Add(Event("hangup", CallEventKind.Ended) with { Cause = CauseOf(request.Cause) });
                break;
        }
        return events;
    }

    /// <summary>Zammad's hangup causes.</summary>
    public static EndCause CauseOf(string? cause) => cause switch
    {
        "normalClearing" => EndCause.Normal,
        "cancel" => EndCause.CallerHungUp,
        "busy" => EndCause.Busy,
        "noAnswer" => EndCause.NoAnswer,
        "congestion" or "notFound" => EndCause.Failed,
        "forwarded" => EndCause.Forwarded,
        _ => EndCause.Unknown,
    };

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static CallDirection? Invalid(ValidationErrors errors, string field, string reason)
    {
        errors.Add(field, reason);
        return null;
    }
}
