using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.FollowUp;

/// <summary>A saved version of the follow-up rules.</summary>
public sealed class FollowUpRuleSet
{
    public int Version { get; set; }

    public string Document { get; set; } = "";

    public DateTime SavedAt { get; set; }

    public string SavedBy { get; set; } = "";
}

/// <summary>Settings under <c>FollowUp</c>.</summary>
public sealed class FollowUpOptions
{
    /// <summary>Where business days are counted (IANA or Windows id). Default Asia/Shanghai.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The currency of opportunities the rules open (their amount is set by sales). Default CNY.</summary>
    public string Currency { get; set; } = "CNY";
}

/// <summary>The rules as the API shows them: the document and its version (the ETag).</summary>
public sealed record FollowUpRulesView(int Version, FollowUpDocument Document, DateTime? SavedAt);

/// <summary>What a wrap-up's rules made.</summary>
public sealed record FollowUpMade(string Rule, string Type, Guid Id, string Title, string? AssigneeAgentId, string? AssigneeTeam, DateTime? DueAt);

/// <summary>What the rules run against: the confirmed wrap-up and its customer.</summary>
internal sealed record FollowUpContext(Customer Customer, string? CallAgent, FollowUpFacts Facts);

/// <summary>Follow-up rules: saved as versions (a save names the version it replaces), run when a wrap-up is confirmed, inside its transaction.</summary>
internal sealed class FollowUpService(SwitchboardDbContext db, TimeProvider time, IOptions<FollowUpOptions> options)
{
    public async Task<FollowUpRulesView> GetAsync(CancellationToken cancellationToken) =>
        await db.FollowUpRuleSets.AsNoTracking().OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken) is { } saved
            ? new FollowUpRulesView(saved.Version, JsonSerializer.Deserialize<FollowUpDocument>(saved.Document, WireJson.Options)!, saved.SavedAt)
            : new FollowUpRulesView(0, new FollowUpDocument([]), null);

    public async Task<Result<FollowUpRulesView>> SaveAsync(FollowUpDocument? document, int? ifMatch, string savedBy, CancellationToken cancellationToken)
    {
        var parsed = FollowUpRules.Parse(document);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }
        var current = await db.FollowUpRuleSets.AsNoTracking().MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0;
        if (ifMatch is null)
        {
            return Error.Validation("version", "is required: send the version you read in If-Match (0 for the first).");
        }
        if (ifMatch != current)
        {
            return Error.StaleVersion("follow-up rules");
        }
        var saved = new FollowUpRuleSet
        {
            Version = current + 1, Document = JsonSerializer.Serialize(document, WireJson.Options), SavedAt = time.GetUtcNow().UtcDateTime, SavedBy = savedBy,
        };
        db.FollowUpRuleSets.Add(saved);
        return await RecordChanges.SaveAsync(db, "follow-up rules", cancellationToken) is { } error
            ? error
            : new FollowUpRulesView(saved.Version, document!, saved.SavedAt);
    }

    /// <summary>Runs the latest rules; adds what they make to the context's pending save (the caller commits it with the wrap-up).</summary>
    public async Task<IReadOnlyList<FollowUpMade>> ApplyAsync(FollowUpContext context, CancellationToken cancellationToken)
    {
        var latest = await db.FollowUpRuleSets.AsNoTracking().OrderByDescending(r => r.Version).Select(r => r.Document).FirstOrDefaultAsync(cancellationToken);
        if (latest is null || FollowUpRules.Parse(JsonSerializer.Deserialize<FollowUpDocument>(latest, WireJson.Options)) is not { IsSuccess: true } parsed)
        {
            return [];
        }
        var facts = context.Facts.Parameters();
        var functions = FollowUpRules.Functions(facts);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
        var now = time.GetUtcNow().UtcDateTime;
        var made = new List<FollowUpMade>();
        foreach (var rule in parsed.Value.Where(r => r.When.Evaluate(facts, functions)))
        {
            Opportunity? opened = null;
            foreach (var action in rule.Actions)
            {
                var (agent, team) = await AssigneeAsync(action, context, cancellationToken);
                switch (action.Type)
                {
                    case "opportunity":
                        db.Opportunities.Add(opened = new Opportunity
                        {
                            Id = Ids.New(time), CustomerId = context.Customer.Id, Title = action.Title!,
                            Stage = action.Stage is null ? OpportunityStage.Qualification : Enum.Parse<OpportunityStage>(action.Stage, ignoreCase: true),
                            Currency = options.Value.Currency, OwnerAgentId = agent, Version = 1, CreatedAt = now, UpdatedAt = now,
                        });
                        made.Add(new FollowUpMade(rule.Name, "opportunity", opened.Id, opened.Title, agent, null, null));
                        break;
                    default:
                        var title = action.Type switch
                        {
                            "callback" => action.Title ?? "回电 · Call back",
                            "notify" => action.Title ?? $"{rule.Name}: {context.Customer.DisplayName}",
                            _ => action.Title!,
                        };
                        var due = action.Type == "notify" ? now : FollowUpRules.DueAt(action.Due, now, zone);
                        var task = new FollowUpTask
                        {
                            Id = Ids.New(time), CustomerId = context.Customer.Id, Title = title, AssigneeAgentId = agent, AssigneeTeam = team, DueAt = due,
                            Status = FollowUpStatus.Open, FollowsUpKind = opened is null ? null : FollowUpTarget.Opportunity, FollowsUpId = opened?.Id,
                            Version = 1, CreatedAt = now, UpdatedAt = now,
                        };
                        db.FollowUpTasks.Add(task);
                        made.Add(new FollowUpMade(rule.Name, action.Type!, task.Id, title, agent, team, due));
                        break;
                }
            }
        }
        return made;
    }

    private async Task<(string? Agent, string? Team)> AssigneeAsync(FollowUpActionInput action, FollowUpContext context, CancellationToken cancellationToken)
    {
        var fallback = action.Team ?? "sales";
        var assign = action.Type switch { "callback" => "caller", "notify" => "team", _ => action.Assign ?? "owner" };
        switch (assign)
        {
            case "owner":
                return context.Customer.OwnerAgentId is { } owner ? (owner, null) : (null, context.Customer.OwnerTeam ?? fallback);
            case "caller":
                return context.CallAgent is { } caller ? (caller, null) : (null, fallback);
            case "agent":
                return (action.Agent, null);
            case "team":
                return (null, fallback);
            case "territory":
                return action.Territories!.TryGetValue(context.Customer.Region ?? "", out var territory) ? (territory, null) : (null, fallback);
            default: // roundRobin: whoever of the agents has the fewest open tasks now (ties: the first named)
                var agents = action.Agents!;
                var open = await db.FollowUpTasks.AsNoTracking()
                    .Where(t => t.AssigneeAgentId != null && agents.Contains(t.AssigneeAgentId) && (t.Status == FollowUpStatus.Open || t.Status == FollowUpStatus.InProgress))
                    .GroupBy(t => t.AssigneeAgentId!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
                var pending = db.ChangeTracker.Entries<FollowUpTask>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.AssigneeAgentId).ToList();
                return (agents.OrderBy(a => open.GetValueOrDefault(a) + pending.Count(p => p == a)).First(), null);
        }
    }
}
