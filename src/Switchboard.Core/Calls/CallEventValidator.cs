using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Calls;

/// <summary>Checks an event before it may enter the journal, so one bad event never fails a batch of good ones.</summary>
public static class CallEventValidator
{
    /// <summary>Every problem with the event, or null.</summary>
    public static Error? Validate(CallEvent e)
    {
        var errors = new ValidationErrors();
        errors.Required("source", e.Source, Limits.Code);
        errors.Required("callId", e.SourceCallId, Limits.CallId);
        errors.Required("eventId", e.EventKey, Limits.CallId + Limits.Code + 16);
        errors.Defined("kind", e.Kind);
        errors.MaxLength("from", e.From, Limits.Code);
        errors.MaxLength("to", e.To, Limits.Code);
        errors.MaxLength("queue", e.Queue, Limits.Code);
        errors.MaxLength("agent", e.AgentId, Limits.Code);
        errors.MaxLength("transferTo", e.TransferTo, Limits.Code);
        if (e.Direction is { } direction)
        {
            errors.Defined("direction", direction);
        }
        if (e.Cause is { } cause)
        {
            errors.Defined("cause", cause);
        }
        if (e.At.Kind != DateTimeKind.Utc)
        {
            errors.Add("at", "must be a UTC time.");
        }
        return errors.Any ? errors.ToError() : null;
    }
}
