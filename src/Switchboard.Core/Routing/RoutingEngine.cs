namespace Switchboard.Core.Routing;

/// <summary>Where an agent stands for routing. Agents choose available, away and offline; Switchboard sets the rest.</summary>
public enum RoutingAgentStatus { Offline, Available, Ringing, Busy, WrapUp, Away }

/// <summary>A call offered to an agent, and why that agent (and not the others).</summary>
public sealed record Offer(string CallId, string AgentId, string Why, IReadOnlyList<string> Candidates);

/// <summary>Whether an answer was accepted, and the offers time made meanwhile.</summary>
public sealed record AnswerResult(bool Answered, IReadOnlyList<Offer> Offers);

/// <summary>A waiting, ringing or connected call as routing sees it.</summary>
public sealed record RoutedCall(
    string Id, RoutingDecision Decision, DateTime EnqueuedAt, string State, string? Agent, int Step, IReadOnlyList<Offer> Offers);

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
                }
            }
        }
    }

    public IEnumerable<RoutedAgent> Agents => _agents.Values.Select(a => new RoutedAgent(a.Agent.Id, a.Status, a.Since, a.Call?.Id, a.Missed));

    public IEnumerable<RoutedCall> Calls => _calls.Values.Select(View);

    public RoutedCall? Find(string callId) => _calls.TryGetValue(callId, out var call) ? View(call) : null;

    /// <summary>A routed call arrives: it waits, or rings at once at the best eligible free agent.</summary>
    public IReadOnlyList<Offer> Enqueue(string callId, RoutingDecision decision, DateTime now)
    {
        var offers = new List<Offer>();
        CatchUp(now, offers);
        if (_calls.ContainsKey(callId))
        {
            return offers;
        }
        var call = new CallState(callId, decision, now, ++_sequence);
        _calls[callId] = call;
        _waiting.Add(call);
        TryAssign(call, now, offers);
        return offers;
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
            agent.AfterCall = status; // applies when the call ends
        }
        else if (status != RoutingAgentStatus.Available && agent.Status != status)
        {
            // Going away: from this moment the agent is offered nothing, and a call ringing at them goes back to the
            // queue, where it takes its turn with what time did up to now.
            if (agent.Status == RoutingAgentStatus.Ringing)
            {
                withdrawn = agent.Call!;
                (withdrawn.State, withdrawn.Agent, agent.Call) = ("waiting", null, null);
                _waiting.Add(withdrawn);
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
        agent.Status = RoutingAgentStatus.Busy;
        agent.Since = now;
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
        _waiting.Remove(call);
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
        foreach (var agent in _agents.Values.Where(a => a.Status == RoutingAgentStatus.Ringing && now - a.Since >= _configuration.RingTimeout).OrderBy(a => a.Since).ToList())
        {
            agent.Missed++;
            var call = agent.Call!;
            (call.State, call.Agent, agent.Call) = ("waiting", null, null);
            _waiting.Add(call);
            requeued.Add(call);
            freed.Add((agent, agent.Missed >= _configuration.MissedOffersBeforeAway ? RoutingAgentStatus.Away : RoutingAgentStatus.Available));
        }
        freed.AddRange(_agents.Values.Where(a => a.Status == RoutingAgentStatus.WrapUp && now - a.Since >= _configuration.WrapUp)
            .OrderBy(a => a.Since).Select(a => (a, RoutingAgentStatus.Available)));

        // Then, in queue order, the calls that came back or widened look among the agents already free (a missed call
        // goes to someone else first; those agents were eligible for no waiting call until now).
        foreach (var call in _waiting.Where(c => requeued.Contains(c) || c.StepAt(now) != c.Step).ToList())
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

    /// <summary>Frees an agent from its call into a new status, keeping the available index right.</summary>
    private void Release(AgentState agent, RoutingAgentStatus status, DateTime now)
    {
        if (agent.Status == RoutingAgentStatus.Available)
        {
            ForGroups(agent, set => set.Remove(agent));
        }
        agent.Call = null;
        agent.Status = status;
        agent.Since = now;
        if (status == RoutingAgentStatus.Available)
        {
            agent.IdleSince = now;
            ForGroups(agent, set => set.Add(agent));
        }
    }

    private void ForGroups(AgentState agent, Action<SortedSet<AgentState>> action)
    {
        foreach (var group in agent.Agent.Groups)
        {
            action(_availableByGroup[group]);
        }
    }

    /// <summary>A waiting call looks for the best eligible free agent.</summary>
    private void TryAssign(CallState call, DateTime now, List<Offer> offers)
    {
        call.Step = call.StepAt(now);
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

    /// <summary>A freed agent takes the first waiting call, in order, that it is eligible for.</summary>
    private void TryAssign(AgentState agent, DateTime now, List<Offer> offers)
    {
        foreach (var call in _waiting)
        {
            var step = call.Decision.Steps[call.StepAt(now)];
            if (step.Groups.Overlaps(agent.Agent.Groups) && HasSkills(agent, step))
            {
                Offer(call, agent, now, 1, offers);
                return;
            }
        }
    }

    private void Offer(CallState call, AgentState agent, DateTime now, int eligible, List<Offer> offers)
    {
        _waiting.Remove(call);
        ForGroups(agent, set => set.Remove(agent));
        agent.Status = RoutingAgentStatus.Ringing;
        agent.Since = now;
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

    /// <summary>Why the agents of the target groups were or were not chosen (at most 20, for the record on the call).</summary>
    private List<string> Candidates(RoutingStep step, AgentState chosen) =>
        [.. _agents.Values.Where(a => a.Agent.Groups.Overlaps(step.Groups)).Take(20).Select(a =>
            a == chosen ? $"{a.Agent.Id}: chosen"
            : a.Status != RoutingAgentStatus.Available ? $"{a.Agent.Id}: {a.Status.ToString().ToLowerInvariant()} since {a.Since:HH:mm:ss}"
            : !HasSkills(a, step) ? $"{a.Agent.Id}: lacks {string.Join(", ", step.Skills.Where(s => a.Agent.Skills.GetValueOrDefault(s.Key) < s.Value).Select(s => $"{s.Key} ≥ {s.Value} (has {a.Agent.Skills.GetValueOrDefault(s.Key)})"))}"
            : $"{a.Agent.Id}: eligible, not first by {Describe(_configuration.Strategy)}")];

    private static string Describe(AgentStrategy strategy) => strategy switch
    {
        AgentStrategy.MostSkilled => "most skilled",
        AgentStrategy.RoundRobin => "round robin",
        _ => "longest idle",
    };

    private static bool HasSkills(AgentState agent, RoutingStep step)
    {
        foreach (var (skill, level) in step.Skills)
        {
            if (agent.Agent.Skills.GetValueOrDefault(skill) < level)
            {
                return false;
            }
        }
        return true;
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
