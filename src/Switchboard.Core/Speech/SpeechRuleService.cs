using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;
using Switchboard.Core.Routing;
using Switchboard.Core.WrapUp;

namespace Switchboard.Core.Speech;

/// <summary>The rules as the API shows them: the document and its version (the ETag; 0 before the first save).</summary>
public sealed record SpeechRulesView(int Version, SpeechRuleSetDocument Document, DateTime? SavedAt, string? SavedBy);

/// <summary>A saved version, listed.</summary>
public sealed record SpeechRuleVersionView(int Version, int Rules, DateTime SavedAt, string SavedBy);

/// <summary>A dry run: segments (and facts) through a rule set, nothing written.</summary>
/// <param name="Rules">The rules to try (default: those in force).</param>
/// <param name="Segments">Final segments in order (speaker, start, end, text, language).</param>
/// <param name="Facts">The call's facts (default: an identified standard customer).</param>
/// <param name="EndAt">Milliseconds: the call ends there (rules that wait for the end are decided).</param>
public sealed record SpeechRuleTest(SpeechRuleSetDocument? Rules, IReadOnlyList<SegmentInput>? Segments, SpeechTestFacts? Facts, int? EndAt);

/// <summary>Facts for a dry run, as the speech rules' facts condition names them.</summary>
public sealed record SpeechTestFacts(string? Tier, string? Lifecycle, bool? OpenComplaint, string? Region, string? Language, IReadOnlyList<string>? Tags);

/// <summary>A firing as the API shows it.</summary>
public sealed record FiringView(string Rule, string Name, int At, IReadOnlyList<string> Evidence, IReadOnlyList<string> Actions, double Sentiment);

/// <summary>Speech rules: saved as versions (a save names the version it replaces), tried on sample segments without writing anything.</summary>
internal sealed class SpeechRuleService(SwitchboardDbContext db, TimeProvider time, SpeechRuleCache cache, ISentimentScorer sentiment)
{
    public const int MaxDocumentBytes = 2_000_000;

    public async Task<SpeechRulesView> GetAsync(CancellationToken cancellationToken) =>
        await db.SpeechRuleSets.AsNoTracking().OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken) is { } saved
            ? new SpeechRulesView(saved.Version, JsonSerializer.Deserialize<SpeechRuleSetDocument>(saved.Document, WireJson.Options)!, saved.SavedAt, saved.SavedBy)
            : new SpeechRulesView(0, new SpeechRuleSetDocument([]), null, null);

    public async Task<IReadOnlyList<SpeechRuleVersionView>> VersionsAsync(CancellationToken cancellationToken) =>
        (await db.SpeechRuleSets.AsNoTracking().OrderByDescending(r => r.Version).Take(100).ToListAsync(cancellationToken))
            .Select(v => new SpeechRuleVersionView(v.Version, JsonSerializer.Deserialize<SpeechRuleSetDocument>(v.Document, WireJson.Options)?.Rules?.Count ?? 0, v.SavedAt, v.SavedBy))
            .ToList();

    public async Task<Result<SpeechRulesView>> VersionAsync(int version, CancellationToken cancellationToken) =>
        await db.SpeechRuleSets.AsNoTracking().FirstOrDefaultAsync(r => r.Version == version, cancellationToken) is { } saved
            ? new SpeechRulesView(saved.Version, JsonSerializer.Deserialize<SpeechRuleSetDocument>(saved.Document, WireJson.Options)!, saved.SavedAt, saved.SavedBy)
            : Error.NotFound("speech rules version");

    public async Task<Result<SpeechRulesView>> SaveAsync(SpeechRuleSetDocument? document, int? ifMatch, string savedBy, CancellationToken cancellationToken)
    {
        var compiled = SpeechRuleSet.Compile(document, JiebaWordSegmenter.Instance);
        if (!compiled.IsSuccess)
        {
            return compiled.Error!;
        }
        var current = await db.SpeechRuleSets.AsNoTracking().MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0;
        if (ifMatch is null)
        {
            return Error.Validation("version", "is required: send the version you read in If-Match (0 for the first).");
        }
        if (ifMatch != current)
        {
            return Error.StaleVersion("speech rules");
        }
        var saved = new SpeechRuleSetVersion
        {
            Version = current + 1, Document = JsonSerializer.Serialize(document, WireJson.Options), SavedAt = time.GetUtcNow().UtcDateTime,
            SavedBy = savedBy.Length > Limits.Code ? savedBy[..Limits.Code] : savedBy,
        };
        db.SpeechRuleSets.Add(saved);
        if (await RecordChanges.SaveAsync(db, "speech rules", cancellationToken) is { } error)
        {
            return error;
        }
        cache.Invalidate();
        return new SpeechRulesView(saved.Version, document!, saved.SavedAt, saved.SavedBy);
    }

    /// <summary>Runs segments through a rule set (given, or in force) and returns what would fire; writes nothing.</summary>
    public async Task<Result<IReadOnlyList<FiringView>>> TestAsync(SpeechRuleTest? test, CancellationToken cancellationToken)
    {
        var segments = test?.Segments ?? [];
        var errors = new ValidationErrors();
        if (segments.Count is 0 or > TranscriptService.MaxSegments)
        {
            errors.Add("segments", $"must hold 1 to {TranscriptService.MaxSegments} segments.");
        }
        for (var i = 0; i < Math.Min(segments.Count, TranscriptService.MaxSegments); i++)
        {
            var s = segments[i];
            if (s is null)
            {
                errors.Add($"segments[{i}]", "must be a segment.");
                continue;
            }
            if (s.Speaker is null || !Enum.IsDefined(s.Speaker.Value))
            {
                errors.Add($"segments[{i}].speaker", "must be customer or agent.");
            }
            if (s.Start is not >= 0 || s.End is null || s.End < s.Start)
            {
                errors.Add($"segments[{i}].start", "start and end are required: milliseconds, end not before start.");
            }
            errors.Required($"segments[{i}].text", s.Text, TranscriptService.MaxText);
        }
        SpeechRuleSet rules;
        if (test?.Rules is { } document)
        {
            var compiled = SpeechRuleSet.Compile(document, JiebaWordSegmenter.Instance, learn: false);
            if (compiled.Error?.Fields is { } fields)
            {
                foreach (var (key, reasons) in fields)
                {
                    Array.ForEach(reasons, r => errors.Add("rules." + key, r));
                }
            }
            rules = compiled.IsSuccess ? compiled.Value : null!;
        }
        else
        {
            rules = (await cache.CurrentAsync(cancellationToken)).Rules;
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var f = test?.Facts;
        var facts = new CallFacts(true, f?.Tier ?? "standard", f?.Lifecycle ?? "active", f?.Tags ?? [], f?.OpenComplaint ?? false, f?.Region ?? "",
            f?.Language ?? "", 0, "", "inbound");
        var call = rules.Start(facts.Parameters());
        var fired = new List<FiringView>();
        foreach (var s in segments)
        {
            var score = sentiment.Score(s.Text!, s.Language ?? "");
            fired.AddRange(rules.Hear(call, new SpeechSegment(s.Speaker!.Value, s.Start!.Value, s.End!.Value, s.Text!, score)).Select(x => View(x, score)));
        }
        if (test?.EndAt is { } end)
        {
            fired.AddRange(rules.End(call, end).Select(x => View(x, call.Trend.Overall ?? 0)));
        }
        return fired;
    }

    public static FiringView View(SpeechFiring firing, double sentiment) =>
        new(firing.Rule.Id, firing.Rule.Name, firing.AtMs, firing.Evidence, firing.Rule.Actions.Select(a => WireNames.Of(a.Type)).ToList(), Math.Round(sentiment, 3));
}

/// <summary>The rule set in force, compiled once per version; a save on this node refreshes it at once, one on another node within 10 s.</summary>
public sealed class SpeechRuleCache(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int Version, SpeechRuleSet Rules, DateTimeOffset CheckedAt)? _current;

    public void Invalidate() => _current = null;

    public void Dispose() => _gate.Dispose();

    public async Task<(int Version, SpeechRuleSet Rules)> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } fresh && time.GetUtcNow() - fresh.CheckedAt < Recheck)
        {
            return (fresh.Version, fresh.Rules);
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var version = await db.SpeechRuleSets.AsNoTracking().MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0;
            if (_current is not { } known || known.Version != version)
            {
                var document = version == 0 ? new SpeechRuleSetDocument([])
                    : JsonSerializer.Deserialize<SpeechRuleSetDocument>((await db.SpeechRuleSets.AsNoTracking().FirstAsync(r => r.Version == version, cancellationToken)).Document, WireJson.Options);
                var compiled = SpeechRuleSet.Compile(document, JiebaWordSegmenter.Instance);
                // A stored version was checked when saved; one that no longer compiles (a fact renamed since) runs as no rules.
                _current = (version, compiled.IsSuccess ? compiled.Value : SpeechRuleSet.Compile(new SpeechRuleSetDocument([]), JiebaWordSegmenter.Instance).Value, time.GetUtcNow());
            }
            else
            {
                _current = (known.Version, known.Rules, time.GetUtcNow());
            }
            return (_current.Value.Version, _current.Value.Rules);
        }
        finally
        {
            _gate.Release();
        }
    }
}
