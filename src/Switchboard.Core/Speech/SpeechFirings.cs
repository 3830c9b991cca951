using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Speech;

/// <summary>A firing recorded on a call, as the API shows it.</summary>
public sealed record CallFiringView(Guid Id, string Rule, int At, DateTime FiredAt, IReadOnlyList<string> Evidence, IReadOnlyList<string> Actions, string? Agent,
    bool Shown, bool? Useful, Guid? TicketId);

/// <summary>What the speech rules made of one call: firings, tags, and the sentiment of each speaker.</summary>
public sealed record CallSpeechView(IReadOnlyList<CallFiringView> Firings, IReadOnlyList<string> Tags, SentimentTrend Sentiment);

/// <summary>Mean sentiment of each speaker and the smoothed trend point by point (segment start ms → score).</summary>
public sealed record SentimentTrend(double? Customer, double? Agent, IReadOnlyList<TrendPoint> Points);

/// <summary>A point of the trend.</summary>
public sealed record TrendPoint(int At, string Speaker, double Score, double Smoothed);

/// <summary>One rule's outcome over a period: fired, shown to an agent, marked useful or not, and the outcomes of its calls.</summary>
public sealed record RuleOutcomeView(string Rule, int Fired, int Calls, int Shown, int Useful, int NotUseful, IReadOnlyDictionary<string, int> CallOutcomes);

/// <summary>Firings on calls, the agent's verdict on a card, and the per-rule report.</summary>
internal sealed class SpeechFirings(SwitchboardDbContext db, TimeProvider time)
{
    public async Task<CallSpeechView> OfCallAsync(string callId, CancellationToken cancellationToken)
    {
        var firings = await db.RuleFirings.AsNoTracking().Where(f => f.CallId == callId).ToListAsync(cancellationToken);
        var tags = await db.CallTags.AsNoTracking().Where(t => t.CallId == callId).Select(t => t.Tag).ToListAsync(cancellationToken);
        var segments = (await db.TranscriptSegments.AsNoTracking().Where(t => t.CallId == callId && t.IsFinal && t.Sentiment != null)
            .Select(t => new { t.StartMs, t.Speaker, t.Sentiment }).ToListAsync(cancellationToken)).OrderBy(t => t.StartMs).ToList();
        var points = new List<TrendPoint>();
        double? smoothed = null;
        foreach (var s in segments)
        {
            smoothed = smoothed is { } previous ? CallSpeechState.Smoothing * s.Sentiment!.Value + (1 - CallSpeechState.Smoothing) * previous : s.Sentiment!.Value;
            points.Add(new TrendPoint(s.StartMs, WireNames.Of(s.Speaker), s.Sentiment!.Value, Math.Round(smoothed.Value, 4)));
        }
        double? Mean(WrapUp.Speaker who) => segments.Where(s => s.Speaker == who).Select(s => s.Sentiment!.Value).DefaultIfEmpty(double.NaN).Average() is var m && !double.IsNaN(m) ? Math.Round(m, 4) : null;
        return new CallSpeechView(
            firings.OrderBy(f => f.AtMs).Select(View).ToList(), tags.Order(StringComparer.Ordinal).ToList(),
            new SentimentTrend(Mean(WrapUp.Speaker.Customer), Mean(WrapUp.Speaker.Agent), points));
    }

    /// <summary>The agent marks a card useful or not (again: the last verdict counts); only the agent it went to, or a supervisor.</summary>
    public async Task<Result<CallFiringView>> FeedbackAsync(Guid id, bool? useful, string actor, bool supervises, CancellationToken cancellationToken)
    {
        if (useful is null)
        {
            return Error.Validation("useful", "is required: true or false.");
        }
        var firing = await db.RuleFirings.FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (firing is null || !supervises && !string.Equals(firing.Agent, actor, StringComparison.Ordinal))
        {
            return Error.NotFound("rule firing"); // another agent's card does not exist for this one
        }
        (firing.Useful, firing.FeedbackAt) = (useful, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return View(firing);
    }

    /// <summary>Per rule over [from, to): how often it fired, on how many calls, shown, useful, and how those calls ended.</summary>
    public async Task<Result<IReadOnlyList<RuleOutcomeView>>> ReportAsync(DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        var end = to ?? time.GetUtcNow().UtcDateTime;
        var start = from ?? end.AddDays(-7);
        if (start >= end || end - start > TimeSpan.FromDays(366))
        {
            return Error.Validation("from", "must be before to, at most 366 days apart.");
        }
        var firings = await db.RuleFirings.AsNoTracking().Where(f => f.FiredAt >= start && f.FiredAt < end)
            .Select(f => new { f.RuleId, f.CallId, f.Shown, f.Useful }).ToListAsync(cancellationToken);
        var callIds = firings.Select(f => f.CallId).Distinct().ToList();
        // How each call ended, as its wrap-up (or its end) wrote it on the timeline.
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in callIds.Chunk(500))
        {
            var ids = chunk.ToList();
            foreach (var i in await db.Interactions.AsNoTracking().Where(i => i.CallId != null && EF.Parameter(ids).Contains(i.CallId))
                .Select(i => new { i.CallId, i.Disposition, i.Outcome }).ToListAsync(cancellationToken))
            {
                var outcome = i.Disposition ?? (i.Outcome is { } o ? WireNames.Of(o) : null);
                if (outcome is not null && (!outcomes.TryGetValue(i.CallId!, out var known) || i.Disposition is not null))
                {
                    outcomes[i.CallId!] = outcome;
                }
            }
        }
        return firings.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new RuleOutcomeView(
            g.Key, g.Count(), g.Select(f => f.CallId).Distinct().Count(), g.Count(f => f.Shown), g.Count(f => f.Useful == true), g.Count(f => f.Useful == false),
            g.Select(f => f.CallId).Distinct().GroupBy(c => outcomes.GetValueOrDefault(c, "unknown")).ToDictionary(o => o.Key, o => o.Count()))).ToList();
    }

    private static CallFiringView View(RuleFiring f) =>
        new(f.Id, f.RuleId, f.AtMs, f.FiredAt, JsonSerializer.Deserialize<List<string>>(f.Evidence, WireJson.Options) ?? [],
            f.Actions.Split(',', StringSplitOptions.RemoveEmptyEntries), f.Agent, f.Shown, f.Useful, f.TicketId);
}
