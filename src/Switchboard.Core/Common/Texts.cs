namespace Switchboard.Core.Common;

/// <summary>Small text helpers every feature shares.</summary>
public static class Texts
{
    /// <summary>The text, or its first <paramref name="max"/> − 1 characters and an ellipsis when longer (the result is at most <paramref name="max"/> long).</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
