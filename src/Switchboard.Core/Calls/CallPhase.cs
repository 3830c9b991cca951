namespace Switchboard.Core.Calls;

/// <summary>How far a call has come. A call's phase only ever rises.</summary>
public enum CallPhase
{
    Offered = 0,
    Queued = 1,
    Ringing = 2,
    Connected = 3,
    Ended = 4,
}

/// <summary>How an ended call turned out.</summary>
public enum CallOutcome
{
    /// <summary>An agent answered it.</summary>
    Answered,

    /// <summary>It rang and nobody here answered (no answer, busy, rejected, forwarded elsewhere).</summary>
    Missed,

    /// <summary>The caller hung up (or the call failed) before anyone answered.</summary>
    Abandoned,
}

/// <summary>What one applied event changed, for the features that react (screen pop on ringing, wrap-up on end).</summary>
/// <param name="Phase">The phase the call moved to, when it rose.</param>
/// <param name="Agent">The agent the call moved to, when that changed before the call ended.</param>
/// <param name="OnHold">The new hold state, when it changed.</param>
public sealed record CallTransition(CallPhase? Phase, string? Agent, bool? OnHold);

/// <summary>The result of applying one event.</summary>
public enum ApplyOutcome
{
    /// <summary>The event was new and is part of the call now.</summary>
    Applied,

    /// <summary>The same event (same key) was applied before: acknowledged, nothing changed.</summary>
    Duplicate,
}
