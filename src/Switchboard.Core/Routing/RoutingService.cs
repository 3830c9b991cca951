using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Agents;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Routing;

/// <summary>A saved routing configuration: its version (the ETag) and the document.</summary>
public sealed record RoutingConfigurationView(int Version, DateTime SavedAt, RoutingConfigurationDocument Document);

/// <summary>A call on the supervisor's board.</summary>
public sealed record SupervisorCall(string Id, string Queue, string Rule, int Priority, bool Bypass, string Tier, DateTime Since, string State, string? Agent);

/// <summary>What the supervisor sees: waiting calls in the order they will be offered, calls ringing or connected, agents by state.</summary>
public sealed record RoutingSnapshot(long Version, IReadOnlyList<SupervisorCall> Waiting, IReadOnlyList<SupervisorCall> Active, IReadOnlyList<RoutedAgent> Agents);

/// <summary>A call to route, as the telephony side knows it.</summary>
public sealed record RoutingRequest(string? CallId, string? From, string? Queue, string? Direction);

/// <summary>The answer to "where does this call go": the facts used, the rule and its target, and the agent offered, if one was free.</summary>
public sealed record RoutingAnswer(string CallId, CallFacts Facts, RoutingDecision Decision, Offer? Offer);

/// <summary>
/// The live routing of this node: the current configuration (versioned in the store) and one <see cref="RoutingEngine"/>
/// whose operations are serialised by a lock (each takes microseconds). Facts come from the local replica only.
/// The calls it owns are kept in the store until they end. After a restart, or when a new configuration starts a new
/// engine: answered calls are connected to their agents again (busy), unanswered ones go back into the queue in their
/// original order, and calls the telephony side ended meanwhile (the call registry, rebuilt from the journal, says so)
/// are dropped. Agents keep their presence: a new configuration carries it over; after a restart, presence set
/// through the API comes back from the store at once and desktops get theirs back when they reconnect.
/// </summary>
public sealed class RoutingService(
    IServiceScopeFactory scopes, CallRegistry calls, AgentPresenceBoard board, AgentPresenceStore presences, TimeProvider time) : IDisposable
{
    /// <summary>A routed call older than this is not restored (a call whose end was never heard of must not hold an agent forever).</summary>
    private static readonly TimeSpan StaleCall = TimeSpan.FromHours(12);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private RoutingConfigurationView? _view;
    private RoutingConfiguration? _configuration;
    private RoutingEngine? _engine;
    private bool _loaded;
    private long _version;
    private readonly Dictionary<string, string> _tiers = new(StringComparer.Ordinal);

    // Offers nobody asked for in the same breath (a call waited, then an agent freed up; a ring timed out and the
    // next agent is tried) must reach the telephony side. Unbounded is safe: at most one offer rings per agent, and
    // each offer waits a ring timeout before the next one for that agent.
    private readonly Channel<Offer> _laterOffers = Channel.CreateUnbounded<Offer>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Every offer made other than the one a decision answers directly (<see cref="RoutingAnswer.Offer"/>): the
    /// telephony side must be told to ring that agent (Twilio: update the call; Asterisk: redirect the channel).
    /// </summary>
    public ChannelReader<Offer> LaterOffers => _laterOffers.Reader;

    private T Publish<T>(T offers, string? except = null) where T : IEnumerable<Offer>
    {
        foreach (var offer in offers)
        {
            if (offer.CallId != except)
            {
                _laterOffers.Writer.TryWrite(offer);
            }
        }
        return offers;
    }

    /// <summary>How long an offer rings before routing tries the next agent (the current configuration's; 20 s before one exists).</summary>
    public TimeSpan RingTimeout => _configuration?.RingTimeout ?? TimeSpan.FromSeconds(20);

    public async Task<Result<RoutingConfigurationView>> GetAsync(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _view is { } view ? (Result<RoutingConfigurationView>)view : Error.NotFound("routing configuration");
    }

    /// <summary>Validates and keeps a new version; <paramref name="expectedVersion"/>, when given, must be the current one.</summary>
    public async Task<Result<RoutingConfigurationView>> SaveAsync(RoutingConfigurationDocument document, int? expectedVersion, CancellationToken cancellationToken)
    {
        var validated = RoutingConfiguration.Validate(document);
        if (validated.Error is { } invalid)
        {
            return invalid;
        }
        await EnsureLoadedAsync(cancellationToken);
        await _loading.WaitAsync(cancellationToken); // one configuration change at a time
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var current = await db.RoutingConfigurations.MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0;
            if (expectedVersion is { } expected && expected != current)
            {
                return Error.StaleVersion("routing configuration");
            }
            var now = time.GetUtcNow().UtcDateTime;
            db.RoutingConfigurations.Add(new RoutingConfigurationRecord { Version = current + 1, Document = JsonSerializer.Serialize(document, Json), SavedAt = now });
            if (await RecordChanges.SaveAsync(db, "routing configuration", cancellationToken) is { } error)
            {
                return error; // another node saved the same version first
            }
            var view = new RoutingConfigurationView(current + 1, now, document);
            var apiPresence = await ApiPresenceAsync(cancellationToken);
            lock (_gate)
            {
                // The new engine takes over the old one's calls and agents in one step under the lock, so no call,
                // answer, end or presence change falls between them. A first configuration takes the presence the
                // desktops (and the API) have given already.
                var engine = new RoutingEngine(validated.Value, now);
                var (calls, presence) = _engine?.Handover()
                    ?? ([], [.. board.All.Where(p => p.Status != AgentStatus.Offline).Select(p => (p.AgentId, p.Status.ForRouting())).Concat(apiPresence)]);
                var offers = engine.Restore(calls, presence, now);
                (_view, _configuration, _engine) = (view, validated.Value, engine);
                Publish(offers);
                _version++;
            }
            return view;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Presence set through the API (by whatever manages those agents), kept in the store.</summary>
    private async Task<IReadOnlyList<(string Agent, RoutingAgentStatus Status)>> ApiPresenceAsync(CancellationToken cancellationToken) =>
        [.. (await presences.LoadAsync(cancellationToken)).Where(p => p.SetBy == AgentPresenceStore.Api).Select(p => (p.AgentId, p.Status.ForRouting()))];

    /// <summary>Identifies the caller in the replica, decides by the rules, and queues the call (offering it to a free agent if there is one).</summary>
    public async Task<Result<RoutingAnswer>> DecideAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("callId", request.CallId, Limits.Code);
        errors.MaxLength("from", request.From, 64);
        errors.MaxLength("queue", request.Queue, Limits.Code);
        if (request.Direction is not (null or "inbound" or "outbound"))
        {
            errors.Add("direction", "must be inbound or outbound.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        await EnsureLoadedAsync(cancellationToken);
        if (_configuration is not { } configuration)
        {
            return new Error(ErrorKind.Conflict, "routing_not_configured", "Routing has no configuration yet: PUT /api/v1/routing/configuration first.");
        }
        var facts = await FactsAsync(request, cancellationToken);
        var decision = configuration.Decide(facts);
        var now = time.GetUtcNow().UtcDateTime;
        RoutingAnswer answer;
        lock (_gate)
        {
            if (_engine!.Find(request.CallId!) is { } known)
            {
                return new RoutingAnswer(request.CallId!, facts, known.Decision, null); // routed before: nothing new
            }
            _version++;
            _tiers[request.CallId!] = facts.Tier;
            var offers = Publish(_engine.Enqueue(request.CallId!, decision, now), except: request.CallId);
            answer = new RoutingAnswer(request.CallId!, facts, decision, offers.FirstOrDefault(o => o.CallId == request.CallId));
        }
        // Kept until the call ends, so a restart or a new configuration puts it back in its place.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        if (!await db.RoutedCalls.AnyAsync(r => r.CallId == request.CallId, cancellationToken))
        {
            db.RoutedCalls.Add(new RoutedCallRecord { CallId = request.CallId!, Decision = JsonSerializer.Serialize(decision, Json), Tier = facts.Tier, EnqueuedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }
        return answer;
    }

    /// <summary>Whether routing owns this call (cheap: for following every call the telephony side reports).</summary>
    public bool Owns(string callId)
    {
        lock (_gate)
        {
            return _engine?.Owns(callId) == true;
        }
    }

    public Result<RoutedCall> Find(string callId)
    {
        lock (_gate)
        {
            return _engine?.Find(callId) is { } call ? (Result<RoutedCall>)call : Error.NotFound("routed call");
        }
    }

    public IReadOnlyList<RoutedAgent> Agents()
    {
        lock (_gate)
        {
            return _engine is null ? [] : [.. _engine.Agents.OrderBy(a => a.Id, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<RoutedCall> Calls()
    {
        lock (_gate)
        {
            return _engine is null ? [] : [.. _engine.Calls.OrderBy(c => c.EnqueuedAt)];
        }
    }

    public Result<Offer[]> SetPresence(string agentId, RoutingAgentStatus status)
    {
        if (status is not (RoutingAgentStatus.Available or RoutingAgentStatus.Away or RoutingAgentStatus.Offline))
        {
            return Error.Validation("status", "must be available, away or offline.");
        }
        lock (_gate)
        {
            if (_engine is null || !_engine.Knows(agentId))
            {
                return Error.NotFound("agent");
            }
            _version++;
            return Publish((Offer[])[.. _engine.SetPresence(agentId, status, time.GetUtcNow().UtcDateTime)]);
        }
    }

    public async Task<Result<AnswerResult>> AnswerAsync(string callId, string agentId, CancellationToken cancellationToken)
    {
        AnswerResult result;
        lock (_gate)
        {
            if (_engine is null)
            {
                return Error.NotFound("routed call");
            }
            _version++;
            result = _engine.Answer(callId, agentId, time.GetUtcNow().UtcDateTime);
            Publish(result.Offers);
        }
        if (result.Answered)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().RoutedCalls.Where(r => r.CallId == callId)
                .ExecuteUpdateAsync(r => r.SetProperty(x => x.AnsweredBy, agentId), cancellationToken);
        }
        return result;
    }

    public async Task<Result<Offer[]>> EndAsync(string callId, CancellationToken cancellationToken)
    {
        Offer[] offers;
        lock (_gate)
        {
            if (_engine?.Owns(callId) != true)
            {
                return Error.NotFound("routed call");
            }
            _version++;
            _tiers.Remove(callId);
            offers = Publish((Offer[])[.. _engine.End(callId, time.GetUtcNow().UtcDateTime)]);
        }
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().RoutedCalls.Where(r => r.CallId == callId).ExecuteDeleteAsync(cancellationToken);
        return offers;
    }

    /// <summary>
    /// Fills the engine made at start from the store (<see cref="RoutingEngine.Restore"/>): the answered calls
    /// connected to their agents, the waiting calls in their original order, then the presence the API set (desktops
    /// give theirs when they reconnect).
    /// </summary>
    private async Task RestoreAsync(SwitchboardDbContext db, RoutingEngine engine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.RoutedCalls.AsNoTracking().OrderBy(r => r.EnqueuedAt).ToListAsync(cancellationToken);
        var gone = rows.Where(r => now - r.EnqueuedAt > StaleCall || EndedMeanwhile(r.CallId)).Select(r => r.CallId).ToList();
        if (gone.Count > 0)
        {
            await db.RoutedCalls.Where(r => gone.Contains(r.CallId)).ExecuteDeleteAsync(cancellationToken);
        }
        var presence = await ApiPresenceAsync(cancellationToken);
        var restored = rows.Where(r => !gone.Contains(r.CallId))
            .Select(r => (Row: r, Decision: JsonSerializer.Deserialize<RoutingDecision>(r.Decision, Json)))
            .Where(r => r.Decision is not null)
            .Select(r => (Call: new RestoredCall(r.Row.CallId, r.Decision!, r.Row.EnqueuedAt, r.Row.AnsweredBy), r.Row.Tier)).ToList();
        lock (_gate)
        {
            foreach (var (call, tier) in restored)
            {
                _tiers[call.Id] = tier;
            }
            Publish(engine.Restore(restored.Select(r => r.Call), presence, now));
            _version++;
        }
    }

    /// <summary>A call from a telephony source ("source/call id") that the journal says has ended.</summary>
    private bool EndedMeanwhile(string callId)
    {
        return RoutedCallIds.TrySplit(callId, out var source, out var sourceCallId) && calls.Find(source, sourceCallId) is { Phase: CallPhase.Ended };
    }

    /// <summary>Agents routing set away since the last look (too many offers missed), for their desktops and the store.</summary>
    public IReadOnlyList<string> TakeAgentsSetAway()
    {
        lock (_gate)
        {
            return _engine?.TakeAgentsSetAway() ?? [];
        }
    }

    /// <summary>Loads the configuration, the calls and the agents' presence, once (the first caller waits for it).</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => EnsureLoadedAsync(cancellationToken);

    /// <summary>Lets time act: ring timeouts, wrap-ups, widening targets. Called every second by the host.</summary>
    public IReadOnlyList<Offer> Tick()
    {
        lock (_gate)
        {
            _version++; // time itself changes what the board shows (waits grow, targets widen)
            return Publish(_engine?.Tick(time.GetUtcNow().UtcDateTime) ?? []);
        }
    }

    /// <summary>The supervisor's board, as of now.</summary>
    public RoutingSnapshot Snapshot()
    {
        lock (_gate)
        {
            if (_engine is null)
            {
                return new RoutingSnapshot(_version, [], [], []);
            }
            SupervisorCall Row(RoutedCall c) => new(c.Id, c.Decision.Queue, c.Decision.Rule, c.Decision.Priority, c.Decision.Bypass,
                _tiers.GetValueOrDefault(c.Id) ?? "", c.EnqueuedAt, c.State, c.Agent);
            return new RoutingSnapshot(_version, [.. _engine.Waiting.Select(Row)], [.. _engine.Calls.Where(c => c.State != "waiting").OrderBy(c => c.EnqueuedAt).Select(Row)],
                [.. _engine.Agents.OrderBy(a => a.Id, StringComparer.Ordinal)]);
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_loaded)
            {
                return;
            }
            // Calls that ended while this process was down must not be restored: wait until the journal has been read.
            await calls.WhenRebuilt.WaitAsync(cancellationToken);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            board.Remember((await presences.LoadAsync(cancellationToken))
                .Where(p => p.Connected && p.SetBy != AgentPresenceStore.Api).Select(p => new AgentPresence(p.AgentId, p.Status, p.Since)));
            var latest = await db.RoutingConfigurations.AsNoTracking().OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken);
            if (latest is not null && JsonSerializer.Deserialize<RoutingConfigurationDocument>(latest.Document, Json) is { } document
                && RoutingConfiguration.Validate(document) is { IsSuccess: true } validated)
            {
                var engine = new RoutingEngine(validated.Value, time.GetUtcNow().UtcDateTime);
                lock (_gate)
                {
                    _view = new RoutingConfigurationView(latest.Version, latest.SavedAt, document);
                    _configuration = validated.Value;
                    _engine = engine;
                }
                await RestoreAsync(db, engine, cancellationToken);
            }
            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<CallFacts> FactsAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<CallFactsReader>().ReadAsync(request.From, request.Queue, request.Direction, cancellationToken)).Facts;
    }

    public void Dispose() => _loading.Dispose();
}
