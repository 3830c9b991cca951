using System.ComponentModel.DataAnnotations;

namespace Switchboard.Core.ScreenPop;

/// <summary>Host settings under <c>ScreenPop</c>.</summary>
public sealed class ScreenPopOptions
{
    /// <summary>
    /// How long a caller's context composed when the call was offered may serve the pop when it rings, in seconds.
    /// Local changes make it stale at once; changes made by another node are seen after at most this long. 0 turns
    /// composing ahead off. Default 30.
    /// </summary>
    [Range(0, 3_600)]
    public int ContextTtlSeconds { get; set; } = 30;

    /// <summary>The most contexts kept (one per caller with a call offered or ringing). Default 50,000.</summary>
    [Range(100, 10_000_000)]
    public int ContextCacheSize { get; set; } = 50_000;
}
