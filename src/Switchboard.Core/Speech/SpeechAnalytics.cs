using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Audit;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;
using Switchboard.Core.Routing;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.WrapUp;

namespace Switchboard.Core.Speech;

/// <summary>A card on the agent's desktop: a script, a warning, or an escalation with the suggested transfer and its context.</summary>
public sealed record SpeechCard(
    string Source, string CallId, Guid FiringId, string RuleId, string Kind, string Title, string Body, IReadOnlyList<string> Evidence, int At,
    string? TransferTo = null, string? Context = null);

/// <summary>An alert on the supervisors' board: which call, which rule, what was said.</summary>
public sealed record SpeechAlert(
    string Source, string CallId, Guid FiringId, string RuleId, string RuleName, string? Agent, string Message, IReadOnlyList<string> Evidence, DateTime At,
    string? TicketNumber, double? CustomerSentiment);

/// <summary>The knowledge base's best articles for what the customer is asking now, refreshed as the conversation moves.</summary>
public sealed record KnowledgeSuggestions(string Source, string CallId, int At, IReadOnlyList<Knowledge.ArticleSuggestion> Articles);

/// <summary>Sends cards and suggestions to agents' desktops and alerts to supervisors (SignalR in the web host).</summary>
public interface ISpeechNotifier
{
    Task SendCardAsync(string agentId, SpeechCard card, CancellationToken cancellationToken);

    Task SendSuggestionsAsync(string agentId, KnowledgeSuggestions suggestions, CancellationToken cancellationToken);

    Task SendAlertAsync(SpeechAlert alert, CancellationToken cancellationToken);
}

/// <summary>
/// Listens to live calls: each final segment (scored for sentiment as it was stored) runs through the rules in force
/// with the call's state kept here, in memory, per call; what fires is recorded on the call (with its words), tags the
/// call, escalates on the customer's open ticket (a new urgent ticket when none is open), and reaches the agent's
/// desktop as a card and the supervisors as an alert. When the call ends, rules that wait for the end are decided and
/// the state is dropped. A call's segments must reach one node (the state is not shared).
/// </summary>
public sealed partial class SpeechAnalytics(
    SpeechRuleCache cache, Knowledge.KnowledgeBase knowledge, IServiceScopeFactory scopes, ISpeechNotifier notifier, IConnectedAgents connected, TimeProvider time,
    ILogger<SpeechAnalytics> logger)
{
    private readonly ConcurrentDictionary<string, CallEntry> _calls = new(StringComparer.Ordinal);
    private DateTimeOffset _sweptAt;

    /// <summary>Calls listened to now.</summary>
    public int Listening => _calls.Count;

    /// <summary>
    /// Runs the newly final segments of a call through the rules (returns what fired), suggests articles for what the
    /// customer asks, and notes the customer's questions with the agent's answers for the knowledge base to learn from.
    /// </summary>
    public async Task<IReadOnlyList<FiringView>> HearAsync(CallSnapshot call, IReadOnlyList<TranscriptSegment> nowFinal, CancellationToken cancellationToken)
    {
        if (nowFinal.Count == 0 || call.Phase == CallPhase.Ended)
        {
            return []; // words arriving after the hang-up: kept in the transcript, not heard (the call was decided at its end)
        }
        var (version, current) = await cache.CurrentAsync(cancellationToken);
        var callId = CallHistoryWriter.CallIdOf(call);
        var now = time.GetUtcNow();
        Sweep(now);
        var entry = _calls.GetOrAdd(callId, _ => new CallEntry());
        entry.SeenAt = now;
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.State is null)
            {
                // The call's first words: it is heard by the rules in force now until it ends (a new version saved
                // meanwhile applies to calls that start after it, so nothing a call already did fires again).
                await using var scope = scopes.CreateAsyncScope();
                var (facts, customer) = await scope.ServiceProvider.GetRequiredService<CallFactsReader>()
                    .ReadAsync(call.CustomerNumber, call.Queue, call.Direction == CallDirection.Outbound ? "outbound" : "inbound", cancellationToken);
                (entry.State, entry.Version, entry.CustomerId, entry.Region) = (current.Start(facts.Parameters()), version, customer, facts.Region);
            }
            var rules = entry.State.Rules;
            var fired = new List<(SpeechFiring Firing, double Sentiment)>();
            foreach (var segment in nowFinal)
            {
                entry.Remember(segment);
                var score = segment.Sentiment ?? 0;
                fired.AddRange(rules.Hear(entry.State, new SpeechSegment(segment.Speaker, segment.StartMs, segment.EndMs, segment.Text, score)).Select(f => (f, score)));
            }
            if (fired.Count > 0)
            {
                await ActAsync(call, entry, fired, cancellationToken);
            }
            await SuggestAsync(call, entry, nowFinal, cancellationToken);
            return fired.Select(f => SpeechRuleService.View(f.Firing, f.Sentiment)).ToList();
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// <see cref="HearAsync"/> for segments already stored: not cancelled by the caller going away (the segments are
    /// committed, and a retry of the same final segments is not heard again), and a failure to act is logged, never
    /// the request's failure.
    /// </summary>
    public async Task<IReadOnlyList<FiringView>> HearSafelyAsync(CallSnapshot call, IReadOnlyList<TranscriptSegment> nowFinal)
    {
        try
        {
            return await HearAsync(call, nowFinal, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.HearFailed(logger, e, call.Source);
            return [];
        }
    }

    /// <summary>
    /// After the customer speaks: their questions are noted (the agent's next two segments become the answer), and the
    /// best three published articles for their latest words go to the agent when they differ from those shown.
    /// </summary>
    private async Task SuggestAsync(CallSnapshot call, CallEntry entry, IReadOnlyList<TranscriptSegment> nowFinal, CancellationToken cancellationToken)
    {
        var index = await knowledge.CurrentAsync(cancellationToken);
        var asked = false;
        foreach (var segment in nowFinal)
        {
            if (segment.Speaker == Speaker.Agent)
            {
                foreach (var question in entry.Questions.Where(q => q.Answers < 2 && q.AtMs <= segment.StartMs))
                {
                    question.Answer += (question.Answer.Length > 0 ? " " : "") + segment.Text;
                    question.Answers++;
                }
                continue;
            }
            asked = true;
            if (Knowledge.QuestionDetector.IsQuestion(segment.Text) && entry.Questions.Count < 50)
            {
                var found = index.Count == 0 ? [] : index.Search(segment.Text, 1);
                var best = found.Count > 0 ? found[0] : null;
                entry.Questions.Add(new PendingQuestion(segment.Text, segment.Language, segment.StartMs, time.GetUtcNow().UtcDateTime, best?.Id, best?.Score ?? 0));
            }
        }
        if (!asked || index.Count == 0 || call.Agent is not { } agent)
        {
            return;
        }
        var latest = nowFinal.Last(s => s.Speaker == Speaker.Customer);
        var words = string.Join(" ", entry.Recent.Where(r => r.Speaker == Speaker.Customer).TakeLast(2).Select(r => r.Text));
        var articles = Knowledge.KnowledgeService.Suggest(index, words, latest.Language.Length > 0 ? latest.Language : null, 3).ToList();
        var ids = string.Join(',', articles.Select(a => a.Id));
        if (articles.Count == 0 || ids == entry.Suggested)
        {
            return;
        }
        entry.Suggested = ids;
        try
        {
            await notifier.SendSuggestionsAsync(agent, new KnowledgeSuggestions(call.Source, call.SourceCallId, latest.EndMs, articles), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.NotifyFailed(logger, e, "knowledge");
        }
    }

    /// <summary>A call whose end was never heard of (or whose words came after it) is forgotten after four idle hours.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now - _sweptAt < TimeSpan.FromMinutes(5))
        {
            return;
        }
        _sweptAt = now;
        foreach (var (id, entry) in _calls)
        {
            if (now - entry.SeenAt > TimeSpan.FromHours(4))
            {
                _calls.TryRemove(id, out _);
            }
        }
    }

    /// <summary>The call ended: rules waiting for the end are decided, then the call's state is dropped.</summary>
    public async Task EndAsync(CallSnapshot call, CancellationToken cancellationToken)
    {
        if (!_calls.TryRemove(CallHistoryWriter.CallIdOf(call), out var entry))
        {
            return;
        }
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.State is null)
            {
                return;
            }
            await KeepQuestionsAsync(call, entry, cancellationToken);
            var started = call.AnsweredAt ?? call.StartedAt;
            var endMs = started is { } s && call.EndedAt is { } e ? (int)Math.Min(int.MaxValue, (e - s).TotalMilliseconds) : entry.LastEndMs;
            var fired = entry.State.Rules.End(entry.State, Math.Max(endMs, entry.LastEndMs));
            if (fired.Count > 0)
            {
                await ActAsync(call, entry, fired.Select(f => (f, entry.State.Trend.Overall ?? 0)).ToList(), cancellationToken);
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Follows the calls: each ended call is decided and dropped (run by the host for its life).</summary>
    public async Task RunAsync(CallRegistry calls, CancellationToken stoppingToken)
    {
        var changes = calls.Subscribe();
        await foreach (var change in changes.ReadAllAsync(stoppingToken))
        {
            if (change.Transition?.Phase != CallPhase.Ended)
            {
                continue;
            }
            try
            {
                await EndAsync(change.Call, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.EndFailed(logger, e, change.Call.Source);
            }
        }
    }

    /// <summary>The call's questions, with the answers the agent gave, for the knowledge base's learner.</summary>
    private async Task KeepQuestionsAsync(CallSnapshot call, CallEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Questions.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        foreach (var q in entry.Questions)
        {
            db.CustomerQuestions.Add(new Knowledge.CustomerQuestion
            {
                Id = Ids.New(time), CallId = CallHistoryWriter.CallIdOf(call), Text = q.Text, Language = Texts.Clip(q.Language, Limits.Language), Region = Texts.Clip(entry.Region ?? "", Limits.Name),
                AskedAt = q.AskedAt, ArticleId = q.ArticleId, Score = q.Score, Answer = Texts.Clip(q.Answer, 2 * TranscriptService.MaxText),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ActAsync(CallSnapshot call, CallEntry entry, List<(SpeechFiring Firing, double Sentiment)> fired, CancellationToken cancellationToken)
    {
        var callId = CallHistoryWriter.CallIdOf(call);
        var now = time.GetUtcNow().UtcDateTime;
        var shown = call.Agent is { } agent && connected.Current.Contains(agent, StringComparer.Ordinal);
        var records = new List<(SpeechFiring Firing, RuleFiring Record, Ticket? Ticket)>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            using var acting = AuditContext.Begin(new AuditActor("speech", "system", AuditChannel.System, callId));
            var tags = await db.CallTags.Where(t => t.CallId == callId).Select(t => t.Tag).ToListAsync(cancellationToken);
            Ticket? escalatedTicket = null; // several escalations in one batch go on one ticket, changed once
            foreach (var (firing, _) in fired)
            {
                var record = new RuleFiring
                {
                    Id = Ids.New(time), CallId = callId, RuleId = firing.Rule.Id, RuleVersion = entry.Version, AtMs = firing.AtMs, FiredAt = now,
                    Evidence = JsonSerializer.Serialize(firing.Evidence, WireJson.Options),
                    Actions = string.Join(',', firing.Rule.Actions.Select(a => WireNames.Of(a.Type)).Distinct()),
                    Agent = call.Agent, Shown = shown && firing.Rule.Actions.Any(a => a.Type is SpeechActionType.Script or SpeechActionType.Warning or SpeechActionType.Escalate),
                };
                db.RuleFirings.Add(record);
                foreach (var tag in firing.Rule.Actions.Where(a => a.Type == SpeechActionType.Tag).Select(a => a.Tag!).Distinct())
                {
                    if (!tags.Contains(tag))
                    {
                        tags.Add(tag);
                        db.CallTags.Add(new CallTag { CallId = callId, Tag = tag, RuleId = firing.Rule.Id, TaggedAt = now });
                    }
                }
                Ticket? ticket = null;
                if (firing.Rule.Actions.FirstOrDefault(a => a.Type == SpeechActionType.Escalate) is { } escalate && entry.CustomerId is { } customerId)
                {
                    ticket = escalatedTicket = await EscalateAsync(db, customerId, escalatedTicket, firing, escalate, Context(entry, firing), now, cancellationToken);
                    record.TicketId = ticket.Id;
                }
                records.Add((firing, record, ticket));
            }
            if (await RecordChanges.SaveAsync(db, "rule firing", cancellationToken) is { } error)
            {
                Log.SaveFailed(logger, error.Code, call.Source, string.Join(',', fired.Select(f => f.Firing.Rule.Id)));
                return;
            }
        }
        foreach (var (firing, record, ticket) in records)
        {
            await NotifyAsync(call, entry, firing, record, ticket, cancellationToken);
        }
        var ruleIds = string.Join(',', records.Select(r => r.Record.RuleId));
        Log.Fired(logger, records.Count, ruleIds);
    }

    private async Task<Ticket> EscalateAsync(SwitchboardDbContext db, Guid customerId, Ticket? already, SpeechFiring firing, SpeechAction escalate, string context,
        DateTime now, CancellationToken cancellationToken)
    {
        // Escalated by an earlier firing of this batch: urgent already, one more note.
        var ticket = already ?? await db.Tickets.Where(t => t.CustomerId == customerId && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed)
            .OrderByDescending(t => t.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        if (ticket is null)
        {
            ticket = new Ticket
            {
                Id = Ids.New(time), CustomerId = customerId, Subject = Texts.Clip($"Escalation: {firing.Rule.Name}", Limits.Subject), Status = TicketStatus.Open,
                Priority = TicketPriority.Urgent, Category = "escalation", Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            ticket.Number = Customers.Profiles.TicketProfile.NewNumber(ticket);
            db.Tickets.Add(ticket);
        }
        else if (already is null)
        {
            RecordChanges.Bump(db, ticket, ticket.Version, time);
            ticket.Priority = TicketPriority.Urgent;
        }
        db.TicketUpdates.Add(new TicketUpdate
        {
            Id = Ids.New(time), TicketId = ticket.Id, Author = "speech:" + firing.Rule.Id, IsInternal = true, CreatedAt = now, UpdatedAt = now,
            Body = Texts.Clip($"Escalated by the speech rule '{firing.Rule.Name}' at {Clock(firing.AtMs)} of the call; transfer to {escalate.Group} suggested.\n{context}", Limits.Body),
        });
        return ticket;
    }

    private async Task NotifyAsync(CallSnapshot call, CallEntry entry, SpeechFiring firing, RuleFiring record, Ticket? ticket, CancellationToken cancellationToken)
    {
        foreach (var action in firing.Rule.Actions)
        {
            try
            {
                switch (action.Type)
                {
                    case SpeechActionType.Script or SpeechActionType.Warning when call.Agent is { } agent:
                        await notifier.SendCardAsync(agent, new SpeechCard(call.Source, call.SourceCallId, record.Id, firing.Rule.Id,
                            action.Type == SpeechActionType.Script ? "script" : "warning", action.Title!, action.Body!, firing.Evidence, firing.AtMs), cancellationToken);
                        break;
                    case SpeechActionType.Escalate when call.Agent is { } agent:
                        await notifier.SendCardAsync(agent, new SpeechCard(call.Source, call.SourceCallId, record.Id, firing.Rule.Id, "escalation",
                            $"Transfer to {action.Group}", $"{firing.Rule.Name}: a warm transfer to {action.Group} is suggested." + (ticket is null ? "" : $" Ticket {ticket.Number} is now urgent."),
                            firing.Evidence, firing.AtMs, action.Group, Context(entry, firing)), cancellationToken);
                        await notifier.SendAlertAsync(Alert(call, entry, firing, record, ticket, $"Escalation to {action.Group}: {firing.Rule.Name}"), cancellationToken);
                        break;
                    case SpeechActionType.AlertSupervisor:
                        await notifier.SendAlertAsync(Alert(call, entry, firing, record, ticket, action.Body!), cancellationToken);
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.NotifyFailed(logger, e, firing.Rule.Id);
            }
        }
    }

    private SpeechAlert Alert(CallSnapshot call, CallEntry entry, SpeechFiring firing, RuleFiring record, Ticket? ticket, string message) =>
        new(call.Source, call.SourceCallId, record.Id, firing.Rule.Id, firing.Rule.Name, call.Agent, message, firing.Evidence, time.GetUtcNow().UtcDateTime, ticket?.Number,
            entry.State!.Trend.Customer is { } mood ? Math.Round(mood, 2) : null);

    /// <summary>A short summary for the receiving agent: the rule, its evidence, the customer's mood and their last words.</summary>
    private static string Context(CallEntry entry, SpeechFiring firing)
    {
        var mood = entry.State!.Trend.Customer;
        var last = entry.Recent.Where(r => r.Speaker == Speaker.Customer).TakeLast(2).Select(r => $"“{Texts.Clip(r.Text, 160)}”");
        return Texts.Clip(string.Create(CultureInfo.InvariantCulture,
            $"{firing.Rule.Name} ({string.Join("; ", firing.Evidence)}). Customer mood {(mood is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) : "unknown")}. Last said: {string.Join(" ", last)}"), 1_000);
    }

    private static string Clock(int ms) => $"{ms / 60_000}:{ms / 1000 % 60:00}";

    private sealed record PendingQuestion(string Text, string Language, int AtMs, DateTime AskedAt, Guid? ArticleId, double Score)
    {
        public string Answer { get; set; } = "";
        public int Answers { get; set; }
    }

    private sealed class CallEntry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public CallSpeechState? State { get; set; }
        public int Version { get; set; }
        public Guid? CustomerId { get; set; }
        public string? Region { get; set; }
        public string? Suggested { get; set; }
        public List<PendingQuestion> Questions { get; } = [];
        public DateTimeOffset SeenAt { get; set; }
        public Queue<(Speaker Speaker, string Text)> Recent { get; } = new();
        public int LastEndMs { get; private set; }

        public void Remember(TranscriptSegment segment)
        {
            Recent.Enqueue((segment.Speaker, segment.Text));
            while (Recent.Count > 6)
            {
                Recent.Dequeue();
            }
            LastEndMs = Math.Max(LastEndMs, segment.EndMs);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Speech rules fired {Count} time(s): {Rules}")]
        public static partial void Fired(ILogger logger, int count, string rules);

        [LoggerMessage(EventId = 1802, Level = LogLevel.Warning, Message = "Firings of rules {Rules} on a call from {Source} could not be saved ({Code})")]
        public static partial void SaveFailed(ILogger logger, string code, string source, string rules);

        [LoggerMessage(EventId = 1803, Level = LogLevel.Warning, Message = "A card or alert of rule {Rule} could not be sent")]
        public static partial void NotifyFailed(ILogger logger, Exception exception, string rule);

        [LoggerMessage(EventId = 1805, Level = LogLevel.Error, Message = "Segments of a call from {Source} were stored but could not be heard by the speech rules")]
        public static partial void HearFailed(ILogger logger, Exception exception, string source);

        [LoggerMessage(EventId = 1804, Level = LogLevel.Error, Message = "The end of a call from {Source} could not be decided by the speech rules")]
        public static partial void EndFailed(ILogger logger, Exception exception, string source);
    }
}
