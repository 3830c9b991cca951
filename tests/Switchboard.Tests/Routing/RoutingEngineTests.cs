using CsCheck;
using Switchboard.Core.Routing;

namespace Switchboard.Tests.Routing;

public sealed class RoutingEngineTests
{
    private static readonly DateTime T0 = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc);

    private static RoutingConfiguration Configuration(string strategy = "longestIdle") => RoutingConfiguration.Validate(new RoutingConfigurationDocument(
        ["senior", "general", "sales"],
        [
            new("s1", ["senior", "general"], new Dictionary<string, int> { ["zh-CN"] = 5, ["en"] = 3 }),
            new("s2", ["senior"], new Dictionary<string, int> { ["zh-CN"] = 4 }),
            new("g1", ["general"], new Dictionary<string, int> { ["zh-CN"] = 3 }),
            new("g2", ["general"], new Dictionary<string, int> { ["en"] = 4 }),
            new("g3", ["general"], new Dictionary<string, int> { ["zh-CN"] = 2, ["en"] = 2 }),
            new("x1", ["sales"], new Dictionary<string, int> { ["zh-CN"] = 3 }),
        ],
        [
            new("vip", "tier == 'vip'", "vip", 10, 90, true, [new("senior", null, 30), new("general", null, null)]),
            new("english", "language == 'en'", "general", 5, null, false, [new("general", new Dictionary<string, int> { ["en"] = 3 }, null)]),
            new("sales", "queue == 'sales'", "sales", 1, null, false, [new("sales", null, 20), new("general", null, null)]),
            new("default", null, "general", 0, null, false, [new("general", new Dictionary<string, int> { ["zh-CN"] = 2 }, null)]),
        ],
        strategy, 15, 2, 10)).Value;

    private static CallFacts Facts(string tier = "standard", string language = "zh-CN", string queue = "service") =>
        new(true, tier, "active", [], false, "华东", language, 0, queue, "inbound");

    [Fact]
    public void AVip_SkipsTheQueue_ToTheSeniorGroup_ThenWidensToGeneralAfter30Seconds()
    {
        var configuration = Configuration();
        var engine = new RoutingEngine(configuration, T0);
        foreach (var agent in new[] { "g1", "g3" })
        {
            engine.SetPresence(agent, RoutingAgentStatus.Available, T0);
        }
        // Two ordinary calls take the two free general agents; a third waits.
        Assert.Single(engine.Enqueue("c1", configuration.Decide(Facts()), T0));
        Assert.Single(engine.Enqueue("c2", configuration.Decide(Facts()), T0.AddSeconds(1)));
        Assert.True(engine.Answer("c2", "g3", T0.AddSeconds(2)).Answered);
        Assert.Empty(engine.Enqueue("c3", configuration.Decide(Facts()), T0.AddSeconds(2)));

        // A VIP arrives: no senior agent is free, so it waits, ahead of c3.
        var vip = configuration.Decide(Facts(tier: "vip"));
        Assert.Equal(("vip", true), (vip.Rule, vip.Bypass));
        Assert.Empty(engine.Enqueue("v1", vip, T0.AddSeconds(3)));

        // g1 finishes c1 (no senior free, the VIP is still at its senior step): g1 takes c3, the oldest ordinary call.
        Assert.True(engine.Answer("c1", "g1", T0.AddSeconds(4)).Answered);
        var offers = engine.End("c1", T0.AddSeconds(10));
        Assert.Empty(offers); // wrap-up first (10 s)
        offers = engine.Tick(T0.AddSeconds(20));
        Assert.Equal(("c3", "g1"), (offers.Single().CallId, offers.Single().AgentId));
        Assert.True(engine.Answer("c3", "g1", T0.AddSeconds(21)).Answered);

        // 30 s on, the VIP's target widens to general; g3 frees up and takes the VIP, not a newer ordinary call.
        engine.Enqueue("c4", configuration.Decide(Facts()), T0.AddSeconds(25));
        engine.End("c2", T0.AddSeconds(34));
        offers = engine.Tick(T0.AddSeconds(44));
        var offer = Assert.Single(offers);
        Assert.Equal(("v1", "g3"), (offer.CallId, offer.AgentId));
        Assert.Contains("rule 'vip' matched: tier == 'vip'", offer.Why, StringComparison.Ordinal);
        Assert.Contains("step 2 targets general, senior", offer.Why, StringComparison.Ordinal);
        Assert.Equal(1, engine.Find("v1")!.Step);
    }

    [Fact]
    public void ARingingCallNotAnswered_GoesToTheNextAgent_AndRepeatedMissesSetTheAgentAway()
    {
        var configuration = Configuration();
        var engine = new RoutingEngine(configuration, T0);
        engine.SetPresence("g1", RoutingAgentStatus.Available, T0);
        Assert.Equal("g1", engine.Enqueue("c1", configuration.Decide(Facts()), T0).Single().AgentId);
        engine.SetPresence("g3", RoutingAgentStatus.Available, T0.AddSeconds(5));

        // 15 s without an answer: c1 goes to g3; g1 (one miss) is available again.
        Assert.Equal(("c1", "g3"), engine.Tick(T0.AddSeconds(15)) is [var moved] ? (moved.CallId, moved.AgentId) : default);
        Assert.Equal(RoutingAgentStatus.Available, engine.Agents.Single(a => a.Id == "g1").Status);
        // g1 misses a second offer: away.
        engine.Enqueue("c2", configuration.Decide(Facts()), T0.AddSeconds(16));
        engine.Tick(T0.AddSeconds(31));
        Assert.Equal(RoutingAgentStatus.Away, engine.Agents.Single(a => a.Id == "g1").Status);
    }

    [Fact]
    public void TheOfferExplainsEachCandidate()
    {
        var configuration = Configuration();
        var engine = new RoutingEngine(configuration, T0);
        engine.SetPresence("g2", RoutingAgentStatus.Available, T0);
        engine.SetPresence("g3", RoutingAgentStatus.Available, T0.AddSeconds(1));
        var offer = engine.Enqueue("c1", configuration.Decide(Facts(language: "en")), T0.AddSeconds(2)).Single();
        Assert.Equal("g2", offer.AgentId);
        Assert.Contains(new CandidateNote("g2", "chosen"), offer.Candidates);
        Assert.Contains(new CandidateNote("g3", "lacksSkills", Lacks: "en ≥ 3 (has 2)"), offer.Candidates);
        Assert.Contains(new CandidateNote("g1", "offline", T0), offer.Candidates);
        // Every agent of the target groups appears once.
        Assert.Equal(offer.Candidates.Count, offer.Candidates.Select(c => c.AgentId).Distinct().Count());
    }

    [Theory]
    [InlineData("longestIdle")]
    [InlineData("mostSkilled")]
    [InlineData("roundRobin")]
    public void AnyInterleaving_KeepsEveryCallAndNeverOffersTwice_InPriorityOrder(string strategy)
    {
        var configuration = Configuration(strategy);
        var agents = configuration.Agents.ToDictionary(a => a.Id);
        var facts = new[] { Facts(), Facts(tier: "vip"), Facts(language: "en"), Facts(queue: "sales") };
        var operation = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 11], Gen.Int[0, 5], Gen.Int[0, 20]);
        operation.Array[1, 120].Sample(steps =>
        {
            var engine = new RoutingEngine(configuration, T0);
            var now = T0;
            var live = new HashSet<string>(StringComparer.Ordinal);
            var next = 0;
            foreach (var (kind, target, agentIndex, seconds) in steps)
            {
                now = now.AddSeconds(seconds);
                var agent = configuration.Agents[agentIndex].Id;
                // A call arriving in this step joins the queue after the offers time made up to now.
                var arriving = kind is 0 or 1 ? "c" + next : null;
                var ringing = engine.Calls.Where(c => c.State == "ringing").ToList();
                IReadOnlyList<Offer> offers = kind switch
                {
                    0 or 1 => engine.Enqueue(Remember(live, "c" + next++), configuration.Decide(facts[target % facts.Length]), now),
                    2 => engine.SetPresence(agent, (RoutingAgentStatus)(new[] { 1, 1, 5, 0 }[target % 4]), now),
                    3 when ringing.Count > 0 => Answered(engine, ringing[target % ringing.Count], now),
                    4 when live.Count > 0 => engine.End(Forget(live, live.Order(StringComparer.Ordinal).ElementAt(target % live.Count)), now),
                    7 => Restarted(ref engine, configuration, now),
                    _ => engine.Tick(now),
                };
                Check(engine, agents, live, offers, arriving, now);
            }
        }, iter: 1_000);
    }

    /// <summary>A restart (or a new configuration): a new engine gets the calls and the presence, as routing's service gives them.</summary>
    private static IReadOnlyList<Offer> Restarted(ref RoutingEngine engine, RoutingConfiguration configuration, DateTime now)
    {
        var (calls, presence) = engine.Handover();
        engine = new RoutingEngine(configuration, now);
        var offers = engine.Restore(calls, presence, now);
        // Nobody answered twice, nothing connected lost its agent.
        foreach (var connected in calls.Where(c => c.AnsweredBy is not null))
        {
            Assert.Equal(("connected", connected.AnsweredBy), (engine.Find(connected.Id)!.State, engine.Find(connected.Id)!.Agent));
        }
        return offers;
    }

    private static string Remember(HashSet<string> live, string id)
    {
        live.Add(id);
        return id;
    }

    private static string Forget(HashSet<string> live, string id)
    {
        live.Remove(id);
        return id;
    }

    // The call rang before this step's time passed; by now its offer may have timed out, and then the answer is refused.
    private static IReadOnlyList<Offer> Answered(RoutingEngine engine, RoutedCall call, DateTime now) => engine.Answer(call.Id, call.Agent!, now).Offers;

    private static void Check(RoutingEngine engine, Dictionary<string, RoutingAgent> agents, HashSet<string> live, IReadOnlyList<Offer> offers, string? arriving, DateTime now)
    {
        var calls = engine.Calls.ToList();
        // No call lost, none invented.
        Assert.Equal(live.Order(StringComparer.Ordinal), calls.Select(c => c.Id).Order(StringComparer.Ordinal));
        // No agent with two calls; ringing and busy agents have exactly their call, and the call has them.
        foreach (var agent in engine.Agents)
        {
            var theirs = calls.Where(c => c.Agent == agent.Id).ToList();
            Assert.True(theirs.Count <= 1, $"{agent.Id} has {theirs.Count} calls");
            Assert.Equal(agent.Status is RoutingAgentStatus.Ringing or RoutingAgentStatus.Busy, theirs.Count == 1);
            if (theirs is [var call])
            {
                Assert.Equal(agent.Status == RoutingAgentStatus.Ringing ? "ringing" : "connected", call.State);
            }
        }
        // Nothing that could be matched is left unmatched: no free agent is eligible for a waiting call.
        var waiting = calls.Where(c => c.State == "waiting").ToList();
        foreach (var free in engine.Agents.Where(a => a.Status == RoutingAgentStatus.Available))
        {
            Assert.DoesNotContain(waiting, c => Eligible(agents[free.Id], c, now));
        }
        // Priority order: no call still waiting was ahead of an offered call and eligible for its agent.
        foreach (var offer in offers.Where(o => engine.Find(o.CallId)?.Agent == o.AgentId))
        {
            var offered = engine.Find(offer.CallId)!;
            Assert.DoesNotContain(waiting, c => c.Id != arriving && Ahead(c, offered) && Eligible(agents[offer.AgentId], c, now));
        }
    }

    private static bool Eligible(RoutingAgent agent, RoutedCall call, DateTime now)
    {
        var step = call.Decision.Steps[StepAt(call, now)];
        return step.Groups.Any(agent.Groups.Contains) && step.Skills.All(s => agent.Skills.GetValueOrDefault(s.Key) >= s.Value);
    }

    private static int StepAt(RoutedCall call, DateTime now)
    {
        var (elapsed, step) = (now - call.EnqueuedAt, 0);
        while (step < call.Decision.Steps.Count - 1 && call.Decision.Steps[step].Timeout is { } timeout && elapsed >= timeout)
        {
            (elapsed, step) = (elapsed - timeout, step + 1);
        }
        return step;
    }

    private static bool Ahead(RoutedCall a, RoutedCall b) =>
        (a.Decision.Bypass, a.Decision.Priority, -(a.EnqueuedAt - a.Decision.AgeCredit).Ticks).CompareTo((b.Decision.Bypass, b.Decision.Priority, -(b.EnqueuedAt - b.Decision.AgeCredit).Ticks)) > 0;
}
