using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.WrapUp;

/// <summary>What a request changed: how many segments, and those that became final (in time order), each with its sentiment.</summary>
public sealed record TranscriptAdded(int Changed, IReadOnlyList<TranscriptSegment> NowFinal);

/// <summary>A call's transcript: segments added or replaced (partial by final) by the platform, read in time order; a final segment is scored for sentiment.</summary>
internal sealed class TranscriptService(SwitchboardDbContext db, TimeProvider time, Speech.ISentimentScorer sentiment)
{
    public const int MaxSegments = 200;
    public const int MaxText = 2_000;

    /// <summary>Adds or replaces the segments, all or none; returns how many changed.</summary>
    public async Task<Result<TranscriptAdded>> AddAsync(string callId, IReadOnlyList<SegmentInput>? segments, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (segments is not { Count: > 0 } || segments.Count > MaxSegments)
        {
            return Error.Validation("segments", $"must hold 1 to {MaxSegments} segments.");
        }
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            var at = $"segments[{i}].";
            if (s is null)
            {
                errors.Add($"segments[{i}]", "must be a segment.");
                continue;
            }
            errors.Required(at + "id", s.Id, Limits.Code);
            if (s.Speaker is null || !Enum.IsDefined(s.Speaker.Value))
            {
                errors.Add(at + "speaker", "must be customer or agent.");
            }
            if (s.Start is not >= 0)
            {
                errors.Add(at + "start", "is required: milliseconds from the start of the call, not negative.");
            }
            if (s.End is null || s.End < s.Start)
            {
                errors.Add(at + "end", "is required and not before start.");
            }
            errors.Required(at + "text", s.Text, MaxText);
            errors.Required(at + "language", s.Language, Limits.Language);
        }
        if (segments.Select(s => s?.Id).Distinct().Count() != segments.Count)
        {
            errors.Add("segments", "name each segment id once per request.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var ids = segments.Select(s => s.Id!).ToList();
        var stored = await db.TranscriptSegments.Where(t => t.CallId == callId && ids.Contains(t.SegmentId)).ToDictionaryAsync(t => t.SegmentId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = 0;
        var nowFinal = new List<TranscriptSegment>();
        foreach (var s in segments)
        {
            if (!stored.TryGetValue(s.Id!, out var segment))
            {
                db.TranscriptSegments.Add(segment = new TranscriptSegment { Id = Ids.New(time), CallId = callId, SegmentId = s.Id! });
            }
            else if (segment.IsFinal && s.Final != true)
            {
                continue; // a late partial never undoes the final version
            }
            if (segment.IsFinal && segment.Text == s.Text && segment.Speaker == s.Speaker)
            {
                continue; // the same final segment sent again (a retry) changes nothing and is not heard twice
            }
            (segment.Speaker, segment.StartMs, segment.EndMs, segment.Text, segment.Language, segment.IsFinal, segment.ReceivedAt) =
                (s.Speaker!.Value, s.Start!.Value, s.End!.Value, s.Text!, s.Language!, s.Final ?? true, now);
            segment.Sentiment = segment.IsFinal ? Math.Round(sentiment.Score(segment.Text, segment.Language), 4) : null;
            if (segment.IsFinal)
            {
                nowFinal.Add(segment);
            }
            changed++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new TranscriptAdded(changed, nowFinal.OrderBy(t => t.StartMs).ToList());
    }

    public async Task<IReadOnlyList<SegmentView>> GetAsync(string callId, CancellationToken cancellationToken) =>
        (await db.TranscriptSegments.AsNoTracking().Where(t => t.CallId == callId).ToListAsync(cancellationToken))
            .OrderBy(t => t.StartMs).ThenBy(t => t.SegmentId, StringComparer.Ordinal)
            .Select(t => new SegmentView(t.SegmentId, t.Speaker, t.StartMs, t.EndMs, t.Text, t.Language, t.IsFinal, t.Sentiment)).ToList();
}
