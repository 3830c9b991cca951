namespace Switchboard.Core.Routing;

/// <summary>
/// A call routing owns until it ends: the decision as made (JSON) and when it joined the queue. After a restart, or a new
/// configuration, these go back into the engine in their original order.
/// </summary>
public sealed class RoutedCallRecord
{
    public string CallId { get; set; } = "";

    public string Decision { get; set; } = "";

    public string Tier { get; set; } = "";

    public DateTime EnqueuedAt { get; set; }

    /// <summary>The agent who answered; an answered call is not queued again after a restart.</summary>
    public string? AnsweredBy { get; set; }
}
