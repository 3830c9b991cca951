using CsCheck;
using Switchboard.Core.Calls;

namespace Switchboard.Tests.Core;

public sealed class CallStateTests
{
    private static readonly DateTime T0 = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc);

    private static CallEvent E(string key, CallEventKind kind, int second, string? agent = null, EndCause? cause = null, string? queue = null, string? transferTo = null) =>
        new("pbx", "call-1", key, kind, T0.AddSeconds(second), AgentId: agent, Cause: cause, Queue: queue, TransferTo: transferTo,
            Direction: kind == CallEventKind.Offered ? CallDirection.Inbound : null, From: kind == CallEventKind.Offered ? "13800138000" : null);

    [Fact]
    public void AnsweredBeforeRinging_GivesTheSameCallAsInOrder()
    {
        var offered = E("1", CallEventKind.Offered, 0, queue: "service");
        var ringing = E("2", CallEventKind.Ringing, 5, agent: "agent-7");
        var answered = E("3", CallEventKind.Answered, 9, agent: "agent-7");
        var ended = E("4", CallEventKind.Ended, 70, cause: EndCause.Normal);

        var inOrder = CallState.Rebuild("pbx", "call-1", [offered, ringing, answered, ended]).Snapshot();
        var scrambled = CallState.Rebuild("pbx", "call-1", [answered, ended, offered, ringing]).Snapshot();

        Assert.Equal(inOrder, scrambled);
        Assert.Equal((CallPhase.Ended, "agent-7", CallOutcome.Answered, T0.AddSeconds(5), T0.AddSeconds(9)),
            (scrambled.Phase, scrambled.Agent, scrambled.Outcome, scrambled.RingingAt, scrambled.AnsweredAt));
    }

    [Fact]
    public void LateRingingAfterTheEnd_FillsTheHistory_ButNeitherReopensNorPops()
    {
        var state = CallState.Start("pbx", "call-1");
        state = state.Apply(E("1", CallEventKind.Offered, 0)).State;
        state = state.Apply(E("4", CallEventKind.Ended, 30, cause: EndCause.CallerHungUp)).State;

        var (late, outcome, transition) = state.Apply(E("2", CallEventKind.Ringing, 5, agent: "agent-7"));

        Assert.Equal(ApplyOutcome.Applied, outcome);
        Assert.Null(transition);
        Assert.Equal((CallPhase.Ended, T0.AddSeconds(5), CallOutcome.Abandoned), (late.Phase, late.RingingAt, late.Outcome));
    }

    [Fact]
    public void Duplicate_IsAcknowledgedAndChangesNothing()
    {
        var state = CallState.Start("pbx", "call-1").Apply(E("1", CallEventKind.Ringing, 1, agent: "agent-1")).State;
        var (again, outcome, transition) = state.Apply(E("1", CallEventKind.Ringing, 1, agent: "agent-1"));
        Assert.Equal(ApplyOutcome.Duplicate, outcome);
        Assert.Null(transition);
        Assert.Same(state, again);
    }

    [Fact]
    public void Transitions_TellWhatFeaturesReactTo()
    {
        var state = CallState.Start("pbx", "call-1");
        var steps = new[]
        {
            E("1", CallEventKind.Offered, 0), E("2", CallEventKind.Ringing, 2, agent: "a1"), E("3", CallEventKind.Answered, 4, agent: "a1"),
            E("4", CallEventKind.Held, 6), E("5", CallEventKind.Resumed, 8), E("6", CallEventKind.Transferred, 9, transferTo: "a2"),
            E("7", CallEventKind.Ended, 20, cause: EndCause.Normal),
        }.Select(e =>
        {
            var (next, _, transition) = state.Apply(e);
            state = next;
            return transition;
        }).ToList();

        Assert.Equal(
            [new CallTransition(CallPhase.Offered, null, null), new CallTransition(CallPhase.Ringing, "a1", null), new CallTransition(CallPhase.Connected, null, null),
             new CallTransition(null, null, true), new CallTransition(null, null, false), new CallTransition(null, "a2", null),
             new CallTransition(CallPhase.Ended, null, null)],
            steps);
        Assert.Throws<ArgumentException>(() => state.Apply(E("8", CallEventKind.Ended, 21) with { SourceCallId = "other" }));
    }

    /// <summary>Random lifecycles; their events dropped, duplicated and permuted; the result equals the chronological model.</summary>
    [Fact]
    public void AnyArrivalOfALifecyclesEvents_GivesTheModelsCall() =>
        Lifecycles.SelectMany(events => Gen.Select(Gen.Bool.Array[events.Length], Gen.Bool.Array[events.Length], Gen.Int.Array[events.Length * 2])
                .Select((drop, duplicate, order) => (events, drop, duplicate, order)))
            .Sample(sample =>
            {
                var (events, drop, duplicate, order) = sample;
                var kept = events.Where((_, i) => !drop[i] || i == 0).ToList();
                var delivered = kept.Concat(kept.Where((_, i) => duplicate[i])).ToList();
                var arrival = delivered.Select((e, i) => (e, order[i % order.Length], i)).OrderBy(x => x.Item2).ThenBy(x => x.i).Select(x => x.e).ToList();

                var state = CallState.Start("pbx", "call-1");
                var applied = 0;
                foreach (var e in arrival)
                {
                    var before = state.Phase;
                    var (next, outcome, _) = state.Apply(e);
                    Assert.True(next.Phase >= before, "the phase went backwards");
                    applied += outcome == ApplyOutcome.Applied ? 1 : 0;
                    state = next;
                }
                Assert.Equal(kept.Count, applied);
                Assert.Equal(Model(kept), state.Snapshot());
            });

    private static readonly Gen<CallEvent[]> Lifecycles =
        Gen.Select(Gen.Int[1, 20].Array[12], Gen.OneOf("a1", "a2", "a3").Array[4], Gen.Bool.Array[8], Gen.Int[0, 3], Gen.Enum<EndCause>())
            .Select((gaps, agents, flags, holds, cause) =>
            {
                var events = new List<(CallEventKind Kind, string? Agent, EndCause? Cause, string? Queue, string? TransferTo)> { (CallEventKind.Offered, null, null, "service", null) };
                if (flags[0]) events.Add((CallEventKind.Queued, null, null, flags[1] ? "vip" : null, null));
                if (flags[2]) events.Add((CallEventKind.Ringing, agents[0], null, null, null));
                if (flags[3])
                {
                    events.Add((CallEventKind.Answered, flags[4] ? agents[0] : agents[1], null, null, null));
                    for (var h = 0; h < holds; h++)
                    {
                        events.Add((h % 2 == 0 ? CallEventKind.Held : CallEventKind.Resumed, null, null, null, null));
                    }
                    if (flags[5]) events.Add((CallEventKind.Transferred, null, null, null, agents[2]));
                }
                if (flags[6]) events.Add((CallEventKind.Ended, null, cause, null, null));
                var at = 0;
                return events.Select((e, i) =>
                {
                    at += gaps[i];
                    return new CallEvent("pbx", "call-1", $"k{i}", e.Kind, T0.AddSeconds(at),
                        i == 0 ? CallDirection.Inbound : null, i == 0 ? "+8613800138000" : null, i == 0 ? "95588" : null,
                        e.Queue, e.Agent, e.Cause, e.TransferTo);
                }).ToArray();
            });

    /// <summary>The plain reading of a call: walk its events in time order and write down what each says.</summary>
    private static CallSnapshot Model(IReadOnlyList<CallEvent> events)
    {
        var chronological = events.OrderBy(e => e.At).ToList();
        CallPhase phase = CallPhase.Offered;
        string? queue = null, agent = null;
        bool held = false;
        DateTime? queued = null, ringing = null, answered = null, ended = null;
        EndCause? cause = null;
        foreach (var e in chronological)
        {
            var implied = e.Kind switch
            {
                CallEventKind.Offered => CallPhase.Offered,
                CallEventKind.Queued => CallPhase.Queued,
                CallEventKind.Ringing or CallEventKind.Transferred => CallPhase.Ringing,
                CallEventKind.Ended => CallPhase.Ended,
                _ => CallPhase.Connected,
            };
            phase = implied > phase ? implied : phase;
            queue = e.Queue ?? queue;
            switch (e.Kind)
            {
                case CallEventKind.Queued: queued ??= e.At; break;
                case CallEventKind.Ringing: ringing ??= e.At; agent = e.AgentId ?? agent; break;
                case CallEventKind.Answered: answered ??= e.At; agent = e.AgentId ?? agent; break;
                case CallEventKind.Transferred: agent = e.TransferTo ?? e.AgentId ?? agent; break;
                case CallEventKind.Held: held = true; break;
                case CallEventKind.Resumed: held = false; break;
                case CallEventKind.Ended when ended is null: ended = e.At; cause = e.Cause ?? EndCause.Unknown; break;
            }
        }
        var first = chronological.First(e => e.From is not null);
        CallOutcome? outcome = phase != CallPhase.Ended ? null
            : answered is not null ? CallOutcome.Answered
            : cause is EndCause.NoAnswer or EndCause.Busy or EndCause.Rejected or EndCause.Forwarded ? CallOutcome.Missed
            : CallOutcome.Abandoned;
        return new CallSnapshot("pbx", "call-1", phase, first.Direction, first.From, first.To, queue, agent,
            held && phase != CallPhase.Ended, chronological[0].At, queued, ringing, answered, ended, cause, outcome);
    }
}
