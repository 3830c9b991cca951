using BenchmarkDotNet.Attributes;
using Switchboard.Core.Routing;

namespace Switchboard.Benchmarks;

/// <summary>
/// One routing decision in a large center (goal: median ≤ 5 µs, p99 ≤ 20 µs): 10,000 agents in 10 groups with
/// language skills, 1,000 calls waiting. <see cref="AgentFreed"/>: an agent finishes a call and takes the first waiting
/// call it is eligible for; <see cref="CallArrives"/>: a call arrives while 100 agents are free and takes the best.
/// Each operation is undone in the same iteration so the state stays the same.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private static readonly DateTime T0 = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc);
    private RoutingEngine _busy = null!;
    private RoutingEngine _free = null!;
    private RoutingConfiguration _configuration = null!;
    private RoutingDecision _ordinary = null!;
    private readonly Queue<string> _connected = new();
    private DateTime _now = T0;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        var groups = Enumerable.Range(0, 10).Select(g => "g" + g).ToList();
        var agents = Enumerable.Range(0, 10_000).Select(i => new RoutingAgentDocument("a" + i, [groups[i % 10]],
            new Dictionary<string, int> { ["zh-CN"] = 1 + i % 5, ["en"] = 1 + i / 7 % 5 })).ToList();
        var rules = groups.Select((g, i) => new RoutingRuleDocument("r" + i, $"region == '{g}'", g, i % 3, 30, false,
            [new RoutingStepDocument(g, new Dictionary<string, int> { ["zh-CN"] = 3 }, null)])).ToList();
        rules.Add(new RoutingRuleDocument("default", null, "general", 0, null, false, [new RoutingStepDocument("g0", null, null)]));
        _configuration = RoutingConfiguration.Validate(new RoutingConfigurationDocument(groups, agents, rules, "longestIdle", 20, 3, 0)).Value;
        _ordinary = _configuration.Decide(new CallFacts(true, "standard", "active", [], false, "g3", "zh-CN", 0, "service", "inbound"));

        // Every agent busy, 1,000 calls waiting.
        _busy = new RoutingEngine(_configuration, T0);
        foreach (var agent in _configuration.Agents)
        {
            _busy.SetPresence(agent.Id, RoutingAgentStatus.Available, T0);
        }
        for (var i = 0; i < 10_000; i++)
        {
            var call = "busy" + i;
            var offer = _busy.Enqueue(call, _configuration.Decide(new CallFacts(true, "standard", "active", [], false, "g" + i % 10, "zh-CN", 0, "service", "inbound")), T0);
            foreach (var o in offer)
            {
                _busy.Answer(o.CallId, o.AgentId, T0);
                _connected.Enqueue(o.CallId);
            }
        }
        for (var i = 0; i < 1_000; i++)
        {
            _busy.Enqueue("wait" + i, _configuration.Decide(new CallFacts(true, "standard", "active", [], false, "g" + i % 10, "zh-CN", 0, "service", "inbound")), T0.AddMilliseconds(i));
        }

        // 100 agents free, nobody waiting.
        _free = new RoutingEngine(_configuration, T0);
        foreach (var agent in _configuration.Agents.Take(100))
        {
            _free.SetPresence(agent.Id, RoutingAgentStatus.Available, T0);
        }
    }

    internal RoutingEngine Busy => _busy;

    internal RoutingEngine Free => _free;

    internal RoutingDecision Ordinary => _ordinary;

    /// <summary>A millisecond later than the last operation.</summary>
    internal DateTime Tick() => _now = _now.AddMilliseconds(1);

    internal string NextConnected() => _connected.Dequeue();

    internal string NextCallId() => "c" + _n++;

    /// <summary>The offered calls are answered, and one call joins the end of the queue, so the state stays the same.</summary>
    internal void AnswerAndRefill(IReadOnlyList<Offer> offers)
    {
        foreach (var offer in offers)
        {
            _busy.Answer(offer.CallId, offer.AgentId, _now);
            _connected.Enqueue(offer.CallId);
        }
        _busy.Enqueue("again" + _n++, _ordinary, _now);
    }

    /// <summary>A connected call ends; its agent (no wrap-up) takes the first eligible of 1,000 waiting calls, which then ends too.</summary>
    [Benchmark]
    public int AgentFreed()
    {
        _now = _now.AddMilliseconds(1);
        var offers = _busy.End(_connected.Dequeue(), _now);
        foreach (var offer in offers)
        {
            _busy.Answer(offer.CallId, offer.AgentId, _now);
            _connected.Enqueue(offer.CallId);
        }
        // Put a call back at the end of the queue so the state stays the same.
        _busy.Enqueue("again" + _n++, _ordinary, _now);
        return offers.Count;
    }

    /// <summary>A call arrives with 100 free agents and takes the best; ending it frees the agent again.</summary>
    [Benchmark]
    public int CallArrives()
    {
        _now = _now.AddMilliseconds(1);
        var id = "c" + _n++;
        var offers = _free.Enqueue(id, _ordinary, _now);
        _free.End(id, _now);
        return offers.Count;
    }
}
