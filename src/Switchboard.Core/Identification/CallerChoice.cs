namespace Switchboard.Core.Identification;

/// <summary>
/// The customer an agent picked for a number that matched several (a company switchboard shared by contacts).
/// Remembered for that number, for everyone, until someone picks another.
/// </summary>
public sealed class CallerChoice
{
    /// <summary>The number, E.164.</summary>
    public string E164 { get; set; } = "";

    public Guid CustomerId { get; set; }

    /// <summary>The agent who chose.</summary>
    public string? ChosenBy { get; set; }

    public DateTime ChosenAt { get; set; }
}
