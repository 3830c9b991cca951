namespace Switchboard.Core.Routing;

/// <summary>Where an agent stands for routing. Agents choose available, away and offline; Switchboard sets the rest.</summary>
public enum RoutingAgentStatus { Offline, Available, Ringing, Busy, WrapUp, Away }

/// <summary>A call offered to an agent, and why that agent (and not the others).</summary>
public sealed record Offer(string CallId, string AgentId, string Why, IReadOnlyList<CandidateNote> Candidates);

/// <summary>
/// One agent of the target groups and why they were or were not offered the call: <c>chosen</c>; their status
/// (<c>ringing</c>, <c>busy</c>, <c>wrapUp</c>, <c>away</c>, <c>offline</c>) since <paramref name="Since"/>;
/// <c>lacksSkills</c> with the <paramref name="Lacks"/> (required level and theirs); or <c>notFirst</c> by the strategy.
/// </summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Verdict">What routing made of them.</param>
/// <param name="Since">For a status: since when (UTC).</param>
/// <param name="Lacks">For <c>lacksSkills</c>: e.g. "zh-CN ≥ 3 (has 2)".</param>
public sealed record CandidateNote(string AgentId, string Verdict, DateTime? Since = null, string? Lacks = null);

/// <summary>Whether an answer was accepted, and the offers time made meanwhile.</summary>
public sealed record AnswerResult(bool Answered, IReadOnlyList<Offer> Offers);

/// <summary>A waiting, ringing or connected call as routing sees it.</summary>
public sealed record RoutedCall(
    string Id, RoutingDecision Decision, DateTime EnqueuedAt, string State, string? Agent, int Step, IReadOnlyList<Offer> Offers);

/// <summary>A call to put into a new engine (after a restart, or a new configuration): answered by an agent, or waiting since it joined.</summary>
public sealed record RestoredCall(string Id, RoutingDecision Decision, DateTime EnqueuedAt, string? AnsweredBy);

/// <summary>An agent as routing sees it.</summary>
public sealed record RoutedAgent(string Id, RoutingAgentStatus Status, DateTime Since, string? Call, int MissedOffers);

/// <summary>
/// Matches waiting calls and available agents (pure, single-threaded: its owner serialises the operations; time comes
/// in with each one). The invariant after every operation: no available agent is eligible for any waiting call, no
/// agent rings or talks with two calls, and every call is waiting, ringing at one agent, or connected to one.
/// Waiting calls are ordered by bypass, then priority, then time waited plus the rule's age credit (a constant per
/// call, so the order never changes while calls wait); an agent freed takes the first waiting call it is eligible for,
/// a call that arrives takes the best eligible free agent by the configured strategy.
/// </summary>
public sealed class RoutingEngine
{
    private readonly RoutingConfiguration _configuration;
    private readonly Dictionary<string, AgentState> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallState> _calls = new(StringComparer.Ordinal);
    private readonly SortedSet<CallState> _waiting = new(CallOrder.Instance);
    private readonly Dictionary<string, SortedSet<AgentState>> _availableByGroup = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AgentState>> _membersByGroup = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<CallState>> _waitingByGroup = new(StringComparer.Ordinal); // by current target
    private readonly SortedSet<AgentState> _ringing = new(SinceOrder.Instance);   // ring timeouts, earliest first
    private readonly SortedSet<AgentState> _wrapping = new(SinceOrder.Instance);  // wrap-ups, earliest first
    private readonly SortedSet<(DateTime Due, CallState Call)> _widening = new(WideningOrder.Instance); // waiting calls' next step
    private readonly List<string> _setAway = [];
    private long _sequence;
    private string? _lastRoundRobin;

    public RoutingEngine(RoutingConfiguration configuration, DateTime now)
    {
        _configuration = configuration;
        foreach (var agent in configuration.Agents)
        {
            _agents[agent.Id] = new AgentState(agent) { Since = now, IdleSince = now };
            foreach (var group in agent.Groups)
            {
                if (!_availableByGroup.ContainsKey(group))
                {
                    _availableByGroup[group] = new SortedSet<AgentState>(IdleOrder.Instance);
                    _membersByGroup[group] = [];
                }
                _membersByGroup[group].Add(_agents[agent.Id]);
            }
        }
    }

    public IEnumerable<RoutedAgent> Agents => _agents.Values.Select(a => new RoutedAgent(a.Agent.Id, a.Status, a.Since, a.Call?.Id, a.Missed));

    public IEnumerable<RoutedCall> Calls => _calls.Values.Select(View);

    /// <summary>The waiting calls in the order they will be offered.</summary>
    public IEnumerable<RoutedCall> Waiting => _waiting.Select(View);

    public RoutedCall? Find(string callId) => _calls.TryGetValue(callId, out var call) ? View(call) : null;

    public bool Owns(string callId) => _calls.ContainsKey(callId);

    public bool Knows(string agentId) => _agents.ContainsKey(agentId);

    /// <summary>
    /// A routed call arrives: it waits, or rings at once at the best eligible free agent. A call restored after a
    /// restart passes the time it first joined (<paramref name="enqueuedAt"/>), which keeps its place in the queue.
    /// </summary>
    public IReadOnlyList<Offer> Enqueue(string callId, RoutingDecision decision, DateTime now, DateTime? enqueuedAt = null)
    {
        var offers = new List<Offer>();
        CatchUp(now, offers);
        if (_calls.ContainsKey(callId))
        {
            return offers;
        }
        var call = new CallState(callId, decision, enqueuedAt ?? now, ++_sequence);
        _calls[callId] = call;
        AddWaiting(call, now);
        TryAssign(call, now, offers);
        return offers;
    }

    /// <summary>
    /// What a new engine needs from this one (<see cref="Restore"/>): every call, answered ones with their agent, and
    /// every agent's presence (ringing, busy and wrapping agents are available; their calls come along).
    /// </summary>
    public (IReadOnlyList<RestoredCall> Calls, IReadOnlyList<(string Agent, RoutingAgentStatus Status)> Presence) Handover() =>
        ([.. _calls.Values.Select(c => new RestoredCall(c.Id, c.Decision, c.EnqueuedAt, c.State == "connected" ? c.Agent!.Agent.Id : null))],
         [.. _agents.Values.Where(a => a.Status != RoutingAgentStatus.Offline)
            .Select(a => (a.Agent.Id, a.Status == RoutingAgentStatus.Away ? RoutingAgentStatus.Away : RoutingAgentStatus.Available))]);

    /// <summary>
    /// Fills a new engine with what the one before it had: answered calls connected to their agents again (busy), the
    /// waiting calls in the order they first joined, then the agents' presence (available or away), each free agent
    /// taking the first waiting call they are eligible for. An answered call whose agent is not in this configuration
    /// is left out.
    /// </summary>
    public IReadOnlyList<Offer> Restore(IEnumerable<RestoredCall> calls, IEnumerable<(string Agent, RoutingAgentStatus Status)> presence, DateTime now)
    {
        var all = calls.ToList();
        foreach (var call in all.Where(c => c.AnsweredBy is not null))
        {
            RestoreConnected(call.Id, call.Decision, call.EnqueuedAt, call.AnsweredBy!, now);
        }
        // Every waiting call is in the queue before any agent is free, so each agent takes the first call, in queue
        // order, that they are eligible for (enqueuing among free agents would serve the earliest, not the first).
        var offers = new List<Offer>();
        foreach (var call in all.Where(c => c.AnsweredBy is null).OrderBy(c => c.EnqueuedAt))
        {
            offers.AddRange(Enqueue(call.Id, call.Decision, now, call.EnqueuedAt));
        }
        foreach (var (agent, status) in presence.Where(p => Knows(p.Agent)))
        {
            offers.AddRange(SetPresence(agent, status, now));
        }
        return offers;
    }

    /// <summary>
    /// A call an agent had answered before a restart or a new configuration: connected to that agent again, who is
    /// busy (offered nothing) until the call ends. False, and nothing changes, for a call routing has already or an
    /// agent it does not know or who holds a call.
    /// </summary>
    private bool RestoreConnected(string callId, RoutingDecision decision, DateTime enqueuedAt, string agentId, DateTime now)
    {
        if (_calls.ContainsKey(callId) || !_agents.TryGetValue(agentId, out var agent) || agent.Call is not null)
        {
            return false;
        }
        var call = new CallState(callId, decision, enqueuedAt, ++_sequence) { State = "connected", Agent = agent };
        _calls[callId] = call;
        agent.Call = call;
        SetStatus(agent, RoutingAgentStatus.Busy, now);
        return true;
    }

    /// <summary>Agents that routing set away (too many offers missed in a row) since the last call, for their desktops to hear.</summary>
    public IReadOnlyList<string> TakeAgentsSetAway()
    {
        if (_setAway.Count == 0)
        {
            return [];
        }
        string[] taken = [.. _setAway];
        _setAway.Clear();
        return taken;
    }

    /// <summary>
    /// The agent chooses available, away or offline. An agent going away is offered nothing more from this moment;
    /// away or offline while a call rings withdraws the offer (once what time did up to now is done); while on a call,
    /// the choice applies when the call ends.
    /// </summary>
    public IReadOnlyList<Offer> SetPresence(string agentId, RoutingAgentStatus status, DateTime now)
    {
        if (status is not (RoutingAgentStatus.Available or RoutingAgentStatus.Away or RoutingAgentStatus.Offline))
        {
            throw new ArgumentOutOfRangeException(nameof(status), "Agents choose available, away or offline.");
        }
        var offers = new List<Offer>();
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            CatchUp(now, offers);
            return offers;
        }
        if (status == RoutingAgentStatus.Available)
        {
            agent.Missed = 0;
        }
        CallState? withdrawn = null;
        if (agent.Status == RoutingAgentStatus.Busy)
        {
            agent.AfterCall = status == RoutingAgentStatus.Available ? null : status; // applies when the call ends (available: after wrap-up)
        }
        else if (status != RoutingAgentStatus.Available && agent.Status != status)
        {
            // Going away: from this moment the agent is offered nothing, and a call ringing at them goes back to the
            // queue, where it takes its turn with what time did up to now.
            if (agent.Status == RoutingAgentStatus.Ringing)
            {
                withdrawn = agent.Call!;
                agent.Call = null;
                AddWaiting(withdrawn, now);
            }
            Release(agent, status, now);
        }
        CatchUp(now, offers, withdrawn);
        // Becoming available counts after time's offers, which went to agents free before.
        if (status == RoutingAgentStatus.Available && agent.Status is not (RoutingAgentStatus.Ringing or RoutingAgentStatus.Busy or RoutingAgentStatus.Available))
        {
            Release(agent, status, now);
        }
        if (agent.Status == RoutingAgentStatus.Available)
        {
            TryAssign(agent, now, offers);
        }
        return offers;
    }

    /// <summary>
    /// The agent answered the call ringing at them. Anything else (another agent, a call no longer ringing there, e.g.
    /// after its offer timed out) is ignored: <see cref="AnswerResult.Answered"/> is false and the telephony side should
    /// not connect it.
    /// </summary>
    public AnswerResult Answer(string callId, string agentId, DateTime now)
    {
        var offers = new List<Offer>();
        CatchUp(now, offers);
        if (!_calls.TryGetValue(callId, out var call) || call.State != "ringing" || call.Agent?.Agent.Id != agentId)
        {
            return new AnswerResult(false, offers);
        }
        call.State = "connected";
        var agent = call.Agent;
        SetStatus(agent, RoutingAgentStatus.Busy, now);
        agent.Missed = 0;
        return new AnswerResult(true, offers);
    }

    /// <summary>The call ended (hung up, abandoned, finished): its agent goes to wrap-up, or takes the next call.</summary>
    public IReadOnlyList<Offer> End(string callId, DateTime now)
    {
        var offers = new List<Offer>();
        CatchUp(now, offers);
        if (!_calls.Remove(callId, out var call))
        {
            return offers;
        }
        if (call.State == "waiting")
        {
            RemoveWaiting(call);
        }
        if (call.Agent is { } agent)
        {
            var next = call.State == "connected" ? agent.AfterCall ?? (_configuration.WrapUp > TimeSpan.Zero ? RoutingAgentStatus.WrapUp : RoutingAgentStatus.Available)
                : RoutingAgentStatus.Available;
            agent.AfterCall = null;
            Release(agent, next, now);
            if (next == RoutingAgentStatus.Available)
            {
                TryAssign(agent, now, offers);
            }
        }
        return offers;
    }

    /// <summary>Time passes: unanswered offers time out (the call is offered again; repeated misses set the agent away), wrap-ups end, targets widen.</summary>
    public IReadOnlyList<Offer> Tick(DateTime now)
    {
        var offers = new List<Offer>();
        CatchUp(now, offers);
        return offers;
    }

    /// <summary>Everything time did since the last operation; every operation starts with it.</summary>
    private void CatchUp(DateTime now, List<Offer> offers, CallState? withdrawn = null)
    {
        // All that time did, first: offers not answered in time come back to the queue, wrap-ups end, targets widen.
        var freed = new List<(AgentState Agent, RoutingAgentStatus Next)>();
        var requeued = new HashSet<CallState>();
        if (withdrawn is not null)
        {
            requeued.Add(withdrawn);
        }
        while (_ringing.Min is { } ringing && now - ringing.Since >= _configuration.RingTimeout)
        {
            _ringing.Remove(ringing);
            ringing.Missed++;
            var call = ringing.Call!;
            ringing.Call = null;
            AddWaiting(call, now);
            requeued.Add(call);
            ringing.Status = RoutingAgentStatus.Offline; // in no index until released below
            var away = ringing.Missed >= _configuration.MissedOffersBeforeAway;
            if (away)
            {
                _setAway.Add(ringing.Agent.Id);
            }
            freed.Add((ringing, away ? RoutingAgentStatus.Away : RoutingAgentStatus.Available));
        }
        while (_wrapping.Min is { } wrapping && now - wrapping.Since >= _configuration.WrapUp)
        {
            _wrapping.Remove(wrapping);
            wrapping.Status = RoutingAgentStatus.Offline;
            freed.Add((wrapping, RoutingAgentStatus.Available));
        }
        while (_widening.Min is var (due, widened) && widened is not null && due <= now)
        {
            _widening.Remove((due, widened));
            IndexTarget(widened, add: false);
            widened.Step = widened.StepAt(now);
            IndexTarget(widened, add: true);
            if (widened.NextWidening() is { } next)
            {
                _widening.Add((next, widened));
            }
            requeued.Add(widened);
        }

        // Then, in queue order, the calls that came back or widened look among the agents already free (a missed call
        // goes to someone else first; those agents were eligible for no waiting call until now).
        foreach (var call in requeued.Where(c => c.State == "waiting").OrderBy(c => c, CallOrder.Instance).ToList())
        {
            TryAssign(call, now, offers);
        }
        // Last, each freed agent takes the first waiting call, in order, it is eligible for.
        foreach (var (agent, next) in freed)
        {
            Release(agent, next, now);
            if (next == RoutingAgentStatus.Available)
            {
                TryAssign(agent, now, offers);
            }
        }
    }

    /// <summary>Frees an agent from its call into a new status.</summary>
    private void Release(AgentState agent, RoutingAgentStatus status, DateTime now)
    {
        agent.Call = null;
        SetStatus(agent, status, now);
    }

    /// <summary>
    /// The one place an agent's status changes, keeping the indexes right: free agents per group by idle time, and
    /// ringing and wrapping agents by when their timer runs out (so time's work is a look at the front of a set).
    /// </summary>
    private void SetStatus(AgentState agent, RoutingAgentStatus status, DateTime now)
    {
        switch (agent.Status)
        {
            case RoutingAgentStatus.Available:
                ForGroups(agent, set => set.Remove(agent));
                break;
            case RoutingAgentStatus.Ringing:
                _ringing.Remove(agent);
                break;
            case RoutingAgentStatus.WrapUp:
                _wrapping.Remove(agent);
                break;
        }
        agent.Status = status;
        agent.Since = now;
        switch (status)
        {
            case RoutingAgentStatus.Available:
                agent.IdleSince = now;
                ForGroups(agent, set => set.Add(agent));
                break;
            case RoutingAgentStatus.Ringing:
                _ringing.Add(agent);
                break;
            case RoutingAgentStatus.WrapUp:
                _wrapping.Add(agent);
                break;
        }
    }

    /// <summary>A call joins the waiting calls (arrived or back from an agent), with the time its target next widens.</summary>
    private void AddWaiting(CallState call, DateTime now)
    {
        call.State = "waiting";
        call.Agent = null;
        call.Step = call.StepAt(now);
        _waiting.Add(call);
        IndexTarget(call, add: true);
        if (call.NextWidening() is { } due)
        {
            _widening.Add((due, call));
        }
    }

    private void RemoveWaiting(CallState call)
    {
        _waiting.Remove(call);
        IndexTarget(call, add: false);
        if (call.NextWidening() is { } due)
        {
            _widening.Remove((due, call));
        }
    }

    /// <summary>Files a waiting call under each group its current step targets, so a freed agent looks only at its groups' calls.</summary>
    private void IndexTarget(CallState call, bool add)
    {
        foreach (var group in call.Decision.Steps[call.Step].Groups)
        {
            if (!_waitingByGroup.TryGetValue(group, out var calls))
            {
                _waitingByGroup[group] = calls = new SortedSet<CallState>(CallOrder.Instance);
            }
            if (add)
            {
                calls.Add(call);
            }
            else
            {
                calls.Remove(call);
            }
        }
    }

    private void ForGroups(AgentState agent, Action<SortedSet<AgentState>> action)
    {
        foreach (var group in agent.Agent.GroupList)
        {
            action(_availableByGroup[group]);
        }
    }

    /// <summary>A waiting call looks for the best eligible free agent.</summary>
    private void TryAssign(CallState call, DateTime now, List<Offer> offers)
    {
        var step = call.Decision.Steps[call.Step];
        AgentState? best = null;
        var eligible = 0;
        foreach (var group in step.Groups)
        {
            if (!_availableByGroup.TryGetValue(group, out var available))
            {
                continue;
            }
            foreach (var agent in available)
            {
                if (!HasSkills(agent, step))
                {
                    continue;
                }
                eligible++;
                if (best is null || Better(agent, best, step))
                {
                    best = agent;
                }
                if (_configuration.Strategy == AgentStrategy.LongestIdle)
                {
                    break; // the set is ordered by idle time: the first eligible is this group's best
                }
            }
        }
        if (best is not null)
        {
            Offer(call, best, now, eligible, offers);
        }
    }

    /// <summary>A freed agent takes the first waiting call, in order, that it is eligible for (looking only at its groups' calls).</summary>
    private void TryAssign(AgentState agent, DateTime now, List<Offer> offers)
    {
        CallState? best = null;
        foreach (var group in agent.Agent.GroupList)
        {
            if (!_waitingByGroup.TryGetValue(group, out var calls))
            {
                continue;
            }
            foreach (var call in calls)
            {
                if (best is not null && CallOrder.Instance.Compare(call, best) >= 0)
                {
                    break; // nothing later in this group can beat the best found
                }
                if (HasSkills(agent, call.Decision.Steps[call.Step]))
                {
                    best = call;
                    break;
                }
            }
        }
        if (best is not null)
        {
            Offer(best, agent, now, 1, offers);
        }
    }

    private void Offer(CallState call, AgentState agent, DateTime now, int eligible, List<Offer> offers)
    {
        RemoveWaiting(call);
        SetStatus(agent, RoutingAgentStatus.Ringing, now);
        agent.Call = call;
        call.State = "ringing";
        call.Agent = agent;
        _lastRoundRobin = agent.Agent.Id;
        var step = call.Decision.Steps[call.Step];
        var why = $"{call.Decision.Why}; step {call.Step + 1} targets {string.Join(", ", step.Groups.Order(StringComparer.Ordinal))}"
            + (step.Skills.Count > 0 ? $" with {string.Join(", ", step.Skills.Select(s => $"{s.Key} ≥ {s.Value}"))}" : "")
            + $"; {agent.Agent.Id} chosen ({Describe(_configuration.Strategy)}) among {eligible} eligible free agent{(eligible == 1 ? "" : "s")}.";
        var offer = new Offer(call.Id, agent.Agent.Id, why, Candidates(step, agent));
        call.Offers.Add(offer);
        offers.Add(offer);
    }

    /// <summary>
    /// Why the agents of the target groups were or were not chosen (at most 20, for the record on the call): small
    /// records with shared verdict strings, so the record costs little on every decision; text only for missing skills.
    /// </summary>
    private List<CandidateNote> Candidates(RoutingStep step, AgentState chosen)
    {
        var notes = new List<CandidateNote>(20);
        HashSet<AgentState>? seen = step.Groups.Count > 1 ? [] : null;
        foreach (var group in step.Groups)
        {
            foreach (var a in _membersByGroup.GetValueOrDefault(group) ?? [])
            {
                if (notes.Count == 20)
                {
                    return notes;
                }
                if (seen is not null && !seen.Add(a))
                {
                    continue;
                }
                notes.Add(a == chosen ? new CandidateNote(a.Agent.Id, "chosen")
                    : a.Status != RoutingAgentStatus.Available ? new CandidateNote(a.Agent.Id, Verdicts[(int)a.Status], a.Since)
                    : !HasSkills(a, step) ? new CandidateNote(a.Agent.Id, "lacksSkills", Lacks: string.Join(", ", step.Skills
                        .Where(s => a.Agent.Skills.GetValueOrDefault(s.Key) < s.Value).Select(s => $"{s.Key} ≥ {s.Value} (has {a.Agent.Skills.GetValueOrDefault(s.Key)})")))
                    : new CandidateNote(a.Agent.Id, "notFirst"));
            }
        }
        return notes;
    }

    /// <summary>Statuses as the API writes them, by <see cref="RoutingAgentStatus"/> value.</summary>
    private static readonly string[] Verdicts = ["offline", "available", "ringing", "busy", "wrapUp", "away"];

    private static string Describe(AgentStrategy strategy) => strategy switch
    {
        AgentStrategy.MostSkilled => "most skilled",
        AgentStrategy.RoundRobin => "round robin",
        _ => "longest idle",
    };

    private static bool HasSkills(AgentState agent, RoutingStep step)
    {
        foreach (var (skill, level) in step.RequiredSkills)
        {
            if (!agent.Agent.Skills.TryGetValue(skill, out var has) || has < level)
            {
                return false;
            }
        }
        return true;
    }

    private static bool InGroups(AgentState agent, RoutingStep step)
    {
        foreach (var group in agent.Agent.GroupList)
        {
            if (step.GroupSet.Contains(group))
            {
                return true;
            }
        }
        return false;
    }

    private bool Better(AgentState candidate, AgentState best, RoutingStep step)
    {
        switch (_configuration.Strategy)
        {
            case AgentStrategy.MostSkilled:
                var (a, b) = (step.Skills.Keys.Sum(k => candidate.Agent.Skills.GetValueOrDefault(k)), step.Skills.Keys.Sum(k => best.Agent.Skills.GetValueOrDefault(k)));
                return a != b ? a > b : IdleOrder.Instance.Compare(candidate, best) < 0;
            case AgentStrategy.RoundRobin:
                static int Rank(string id, string? last) => last is null || string.CompareOrdinal(id, last) > 0 ? 0 : 1;
                var (ra, rb) = (Rank(candidate.Agent.Id, _lastRoundRobin), Rank(best.Agent.Id, _lastRoundRobin));
                return ra != rb ? ra < rb : string.CompareOrdinal(candidate.Agent.Id, best.Agent.Id) < 0;
            default:
                return IdleOrder.Instance.Compare(candidate, best) < 0;
        }
    }

    private RoutedCall View(CallState call) => new(call.Id, call.Decision, call.EnqueuedAt, call.State, call.Agent?.Agent.Id, call.Step, [.. call.Offers]);

    private sealed class AgentState(RoutingAgent agent)
    {
        public RoutingAgent Agent { get; } = agent;

        public RoutingAgentStatus Status { get; set; } = RoutingAgentStatus.Offline;

        public DateTime Since { get; set; }

        public DateTime IdleSince { get; set; }

        public CallState? Call { get; set; }

        public int Missed { get; set; }

        public RoutingAgentStatus? AfterCall { get; set; }
    }

    private sealed class CallState(string id, RoutingDecision decision, DateTime enqueuedAt, long sequence)
    {
        public string Id { get; } = id;

        public RoutingDecision Decision { get; } = decision;

        public DateTime EnqueuedAt { get; } = enqueuedAt;

        public long Sequence { get; } = sequence;

        public string State { get; set; } = "waiting";

        public AgentState? Agent { get; set; }

        public int Step { get; set; }

        public List<Offer> Offers { get; } = [];

        /// <summary>When the target next widens, from the step the call is at; null at the last step.</summary>
        public DateTime? NextWidening()
        {
            var due = EnqueuedAt;
            for (var s = 0; s <= Step; s++)
            {
                if (s == Decision.Steps.Count - 1 || Decision.Steps[s].Timeout is not { } timeout)
                {
                    return null;
                }
                due += timeout;
            }
            return due;
        }

        /// <summary>The step a call waiting since it arrived has reached: each step's timeout widens the target.</summary>
        public int StepAt(DateTime now)
        {
            var elapsed = now - EnqueuedAt;
            var step = 0;
            while (step < Decision.Steps.Count - 1 && Decision.Steps[step].Timeout is { } timeout && elapsed >= timeout)
            {
                elapsed -= timeout;
                step++;
            }
            return step;
        }
    }

    private sealed class CallOrder : IComparer<CallState>
    {
        public static readonly CallOrder Instance = new();

        public int Compare(CallState? x, CallState? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }
            var byBypass = y!.Decision.Bypass.CompareTo(x!.Decision.Bypass);
            if (byBypass != 0)
            {
                return byBypass;
            }
            var byPriority = y.Decision.Priority.CompareTo(x.Decision.Priority);
            if (byPriority != 0)
            {
                return byPriority;
            }
            // Longer wait first; the age credit counts as time already waited.
            var byWait = (x.EnqueuedAt - x.Decision.AgeCredit).CompareTo(y.EnqueuedAt - y.Decision.AgeCredit);
            return byWait != 0 ? byWait : x.Sequence.CompareTo(y.Sequence);
        }
    }

    private sealed class SinceOrder : IComparer<AgentState>
    {
        public static readonly SinceOrder Instance = new();

        public int Compare(AgentState? x, AgentState? y)
        {
            var bySince = x!.Since.CompareTo(y!.Since);
            return bySince != 0 ? bySince : string.CompareOrdinal(x.Agent.Id, y.Agent.Id);
        }
    }

    private sealed class WideningOrder : IComparer<(DateTime Due, CallState Call)>
    {
        public static readonly WideningOrder Instance = new();

        public int Compare((DateTime Due, CallState Call) x, (DateTime Due, CallState Call) y)
        {
            var byDue = x.Due.CompareTo(y.Due);
            return byDue != 0 ? byDue : x.Call.Sequence.CompareTo(y.Call.Sequence);
        }
    }

    private sealed class IdleOrder : IComparer<AgentState>
    {
        public static readonly IdleOrder Instance = new();

        public int Compare(AgentState? x, AgentState? y)
        {
            var byIdle = x!.IdleSince.CompareTo(y!.IdleSince);
            return byIdle != 0 ? byIdle : string.CompareOrdinal(x.Agent.Id, y.Agent.Id);
        }
    }
}
