using System.ComponentModel.DataAnnotations;

namespace Switchboard.Hosting;

/// <summary>Host settings under <c>Calls</c>.</summary>
public sealed class CallsOptions
{
    /// <summary>At start, calls with events accepted in this many past hours are rebuilt from the journal. Default 12.</summary>
    [Range(1, 24 * 7)]
    public int RebuildWindowHours { get; set; } = 12;

    /// <summary>Ended calls stay in memory this many minutes (late events, reports), then only in the journal. Default 10.</summary>
    [Range(1, 24 * 60)]
    public int KeepEndedMinutes { get; set; } = 10;
}
