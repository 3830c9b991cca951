using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Forecasting;

/// <summary>Something customers raised: when, in which region, about what, and the product or part it names, if any.</summary>
public sealed record TopicMention(DateTime At, string Region, string Topic, string? Product);

/// <summary>A topic rising in a region: how often in the recent window against its trailing baseline, and what to do.</summary>
/// <param name="Region">Customers' region ("unknown" when the CRM has none).</param>
/// <param name="Topic">The ticket category (dispositions and detected topics join with the after-call and speech issues).</param>
/// <param name="Recent">Mentions in the recent window.</param>
/// <param name="Expected">Mentions the trailing baseline expects in a window as long.</param>
/// <param name="Ratio">Recent over expected.</param>
/// <param name="PValue">Chance of at least <paramref name="Recent"/> mentions if the baseline rate held (Poisson).</param>
/// <param name="ExtraAgents">Agents to add to the region's queue at the peak, for the extra calls a day at the configured AHT.</param>
/// <param name="Suggestion">The plan hint, one sentence.</param>
/// <param name="Products">Products or parts the rising mentions name, most named first: a spare-parts hint.</param>
public sealed record HotTopic(
    string Region, string Topic, int Recent, double Expected, double Ratio, double PValue, int ExtraAgents, string Suggestion,
    IReadOnlyList<ProductMention> Products);

/// <summary>A product or part named by mentions of a rising topic.</summary>
public sealed record ProductMention(string Product, int Mentions);

/// <summary>
/// Finds topics rising above their trailing baseline, per region (pure): a topic is hot when its mentions in the last
/// <c>recentDays</c> are at least <c>minRatio</c> times what the previous <c>baselineDays</c> predict, at least
/// <c>minMentions</c>, and unlikely by chance (Poisson p &lt; 0.01, so a quiet topic's 3 mentions instead of 1 is not
/// an alarm).
/// </summary>
public static class HotTopicDetector
{
    public static IReadOnlyList<HotTopic> Detect(
        IEnumerable<TopicMention> mentions, DateTime asOf, TimeSpan aht, TimeSpan openPerDay,
        int recentDays = 7, int baselineDays = 28, double minRatio = 1.5, int minMentions = 5)
    {
        var recentFrom = asOf.AddDays(-recentDays);
        var baselineFrom = recentFrom.AddDays(-baselineDays);
        var hot = new List<HotTopic>();
        foreach (var group in mentions.Where(m => m.At >= baselineFrom && m.At < asOf).GroupBy(m => (m.Region, m.Topic)))
        {
            var recent = group.Where(m => m.At >= recentFrom).ToList();
            var baseline = group.Count(m => m.At < recentFrom);
            // Half a mention of prior keeps a topic new this week from dividing by zero without making it look calm.
            var expected = Math.Max(baseline, 0.5) * recentDays / baselineDays;
            var ratio = recent.Count / expected;
            var p = PoissonTail(recent.Count, expected);
            if (recent.Count < minMentions || ratio < minRatio || p >= 0.01)
            {
                continue;
            }
            var extraPerDay = (recent.Count - expected) / recentDays;
            // The extra load at its peak: spread over the open hours, with twice the average in the busiest hour.
            var extraErlangs = 2 * extraPerDay * aht.TotalSeconds / openPerDay.TotalSeconds;
            var extraAgents = (int)Math.Ceiling(extraErlangs / 0.85);
            var products = recent.Where(m => !string.IsNullOrWhiteSpace(m.Product)).GroupBy(m => m.Product!, StringComparer.Ordinal)
                .Select(g => new ProductMention(g.Key, g.Count())).OrderByDescending(g => g.Mentions).ThenBy(g => g.Product, StringComparer.Ordinal).Take(5).ToList();
            var suggestion = string.Create(CultureInfo.InvariantCulture,
                $"'{group.Key.Topic}' in {group.Key.Region} is up {ratio:0.0}× ({recent.Count} in {recentDays} days, {expected:0.#} expected): about {extraPerDay:0.#} more calls a day; plan {extraAgents} more agent{(extraAgents == 1 ? "" : "s")} on the {group.Key.Region} queue at its peak.")
                + (products.Count > 0 ? $" Spare parts: check stock of {string.Join(", ", products.Select(p => $"{p.Product} ({p.Mentions})"))}." : "");
            hot.Add(new HotTopic(group.Key.Region, group.Key.Topic, recent.Count, expected, ratio, p, extraAgents, suggestion, products));
        }
        return [.. hot.OrderBy(h => h.PValue).ThenByDescending(h => h.Ratio)];
    }

    /// <summary>P(X ≥ k) for X ~ Poisson(λ), summed in a stable way.</summary>
    internal static double PoissonTail(int k, double lambda)
    {
        if (k <= 0)
        {
            return 1;
        }
        // 1 − P(X ≤ k−1), with the terms built up from e^−λ by ratios.
        double term = Math.Exp(-lambda), cumulative = term;
        for (var i = 1; i < k; i++)
        {
            term *= lambda / i;
            cumulative += term;
        }
        return Math.Max(0, 1 - cumulative);
    }
}

/// <summary>Reads the mentions behind hot topics from the replica: tickets opened, by their customer's region.</summary>
internal sealed class HotTopicFinder(SwitchboardDbContext db, IOptions<ForecastingOptions> options, TimeProvider time)
{
    private static readonly string[] ProductCategories = ["product", "parts", "产品", "配件"];

    public async Task<IReadOnlyList<HotTopic>> FindAsync(DateTime? asOf, TimeSpan aht, CancellationToken cancellationToken)
    {
        var until = asOf ?? time.GetUtcNow().UtcDateTime;
        var from = until.AddDays(-35);
        var rows = await db.Tickets.AsNoTracking().Where(t => t.CreatedAt >= from && t.CreatedAt < until && t.Category != null)
            .Join(db.Customers, t => t.CustomerId, c => c.Id, (t, c) => new { t.CreatedAt, c.Region, t.Category, t.Subject })
            .ToListAsync(cancellationToken);
        var settings = options.Value;
        var open = TimeOnly.ParseExact(settings.Closes == "24:00" ? "23:59" : settings.Closes, "HH:mm", CultureInfo.InvariantCulture)
            - TimeOnly.ParseExact(settings.Opens, "HH:mm", CultureInfo.InvariantCulture);
        var mentions = rows.Select(r => new TopicMention(r.CreatedAt, r.Region ?? "unknown", r.Category!,
            ProductCategories.Contains(r.Category!, StringComparer.OrdinalIgnoreCase) ? r.Subject : null)).ToList();
        // Customers' questions on calls, grouped into topics by the knowledge base's learner, count as mentions too
        // (the topic named by its most typical question).
        var questions = await db.CustomerQuestions.AsNoTracking().Where(q => q.AskedAt >= from && q.AskedAt < until && q.TopicId != null && q.TopicId != Guid.Empty)
            .Join(db.QuestionTopics, q => q.TopicId, t => t.Id, (q, t) => new { q.AskedAt, q.Region, t.Label }).ToListAsync(cancellationToken);
        mentions.AddRange(questions.Select(q => new TopicMention(q.AskedAt, q.Region.Length == 0 ? "unknown" : q.Region, "question: " + q.Label, null)));
        return HotTopicDetector.Detect(mentions, until, aht, open);
    }
}
