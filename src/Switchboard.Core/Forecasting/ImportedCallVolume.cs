namespace Switchboard.Core.Forecasting;

/// <summary>
/// Calls counted in one interval of history from before Switchboard ran (an ACD export): per queue ("" for a center
/// that counts all queues together), starting at a local time of the center. Imported again, a row replaces itself.
/// </summary>
public sealed class ImportedCallVolume
{
    public string Queue { get; set; } = "";

    /// <summary>
    /// Start of the interval on the center's wall clock. Stored with <see cref="DateTimeKind.Utc"/> as a label only
    /// (PostgreSQL's timestamptz takes nothing else); the value is never converted.
    /// </summary>
    public DateTime Start { get; set; }

    public int Minutes { get; set; }

    public double Calls { get; set; }

    public DateTime ImportedAt { get; set; }
}
