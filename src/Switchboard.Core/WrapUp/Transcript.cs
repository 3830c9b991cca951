namespace Switchboard.Core.WrapUp;

/// <summary>Who spoke.</summary>
public enum Speaker { Customer, Agent }

/// <summary>
/// One stretch of a call's transcript, as the platform's speech-to-text sent it. Identified by the sender's
/// <see cref="SegmentId"/> within the call: a partial segment is replaced by later versions until its final one, and a
/// final one is never replaced by a partial.
/// </summary>
public sealed class TranscriptSegment
{
    public Guid Id { get; set; }

    /// <summary><c>{source}/{callId}</c>, as the call's interaction names it.</summary>
    public string CallId { get; set; } = "";

    public string SegmentId { get; set; } = "";

    public Speaker Speaker { get; set; }

    /// <summary>Milliseconds from the start of the call.</summary>
    public int StartMs { get; set; }

    public int EndMs { get; set; }

    public string Text { get; set; } = "";

    /// <summary>BCP 47, e.g. <c>zh-CN</c>, <c>en-US</c>.</summary>
    public string Language { get; set; } = "";

    public bool IsFinal { get; set; }

    public DateTime ReceivedAt { get; set; }

    /// <summary>The final segment's sentiment on −1…1 (Speech), null while partial.</summary>
    public double? Sentiment { get; set; }
}

/// <summary>A segment to add (nullable so that validation names every missing field).</summary>
public sealed record SegmentInput(string? Id, Speaker? Speaker, int? Start, int? End, string? Text, string? Language, bool? Final);

/// <summary>A segment as the API shows it, with its sentiment once final.</summary>
public sealed record SegmentView(string Id, Speaker Speaker, int Start, int End, string Text, string Language, bool Final, double? Sentiment = null);
