namespace Switchboard.Core.Speech;

/// <summary>A saved version of the speech rules (the latest is in force).</summary>
public sealed class SpeechRuleSetVersion
{
    public int Version { get; set; }

    /// <summary>The <see cref="SpeechRuleSetDocument"/> as JSON.</summary>
    public string Document { get; set; } = "";

    public DateTime SavedAt { get; set; }

    public string SavedBy { get; set; } = "";
}

/// <summary>A rule fired on a call: when, on which words, what it did, and what the agent thought of its card.</summary>
public sealed class RuleFiring
{
    public Guid Id { get; set; }

    /// <summary><c>{source}/{callId}</c>.</summary>
    public string CallId { get; set; } = "";

    public string RuleId { get; set; } = "";

    public int RuleVersion { get; set; }

    /// <summary>Milliseconds from the start of the call.</summary>
    public int AtMs { get; set; }

    public DateTime FiredAt { get; set; }

    /// <summary>The words that triggered it and its other conditions, as a JSON array of strings.</summary>
    public string Evidence { get; set; } = "[]";

    /// <summary>The actions taken, comma-separated (<c>script,tag</c>).</summary>
    public string Actions { get; set; } = "";

    /// <summary>The agent the card went to, if any.</summary>
    public string? Agent { get; set; }

    /// <summary>Whether a desktop of the agent was connected when the card was sent.</summary>
    public bool Shown { get; set; }

    /// <summary>The agent's verdict on the card: useful, not useful, or none yet.</summary>
    public bool? Useful { get; set; }

    public DateTime? FeedbackAt { get; set; }

    /// <summary>The ticket an escalation went on.</summary>
    public Guid? TicketId { get; set; }
}

/// <summary>A tag a rule put on a call.</summary>
public sealed class CallTag
{
    public string CallId { get; set; } = "";

    public string Tag { get; set; } = "";

    public string RuleId { get; set; } = "";

    public DateTime TaggedAt { get; set; }
}
