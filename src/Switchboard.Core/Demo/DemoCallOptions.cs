using System.ComponentModel.DataAnnotations;

namespace Switchboard.Core.Demo;

/// <summary>Host settings under <c>Demo</c>: the built-in call simulator that <c>switchboard demo</c> turns on.</summary>
public sealed class DemoCallOptions
{
    /// <summary>Simulate calls ringing at the agents whose desktops are connected. Default false; <c>demo</c> sets it.</summary>
    public bool SimulateCalls { get; set; }

    /// <summary>A new call every this many seconds. Default 8.</summary>
    [Range(1, 3600)]
    public int CallEverySeconds { get; set; } = 8;
}
