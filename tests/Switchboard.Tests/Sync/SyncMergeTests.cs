using CsCheck;
using Switchboard.Core.Mapping;
using Switchboard.Core.Sync;

namespace Switchboard.Tests.Sync;

/// <summary>The per-field merge of a pulled record, as properties over every combination of shadow, ours, theirs and echoes.</summary>
public sealed class SyncMergeTests
{
    private static readonly MappingSpec Spec = MappingSpec.Read("""
        name: merge
        entity: customer
        system: crm
        key: Id
        fields:
          - { target: displayName, source: Name, owner: external }
          - { target: region, source: Region, owner: switchboard }
          - { target: preferredLanguage, source: Language, owner: shared }
          - { target: ownerTeam, source: Team, direction: in }
        """, yaml: true).Value;

    private static readonly string[] Fields = ["displayName", "region", "preferredLanguage", "ownerTeam"];

    /// <summary>One field's situation: the shadow (null: none yet), ours, theirs, and whether theirs is a value we pushed.</summary>
    private sealed record Situation(string? Shadow, string Local, string Incoming, bool Echo);

    private static readonly Gen<Situation> OneField =
        Gen.Select(Gen.OneOf<string?>(null, "a", "b", "c"), Gen.OneOf("a", "b", "c"), Gen.OneOf("a", "b", "c"), Gen.Bool)
            .Select((s, l, i, e) => new Situation(s, l, i, e));

    private static readonly Gen<(Situation[] Fields, bool TheirsNewer)> Records = Gen.Select(OneField.Array[Fields.Length], Gen.Bool);

    private static MergeResult Merge(Situation[] situations, bool theirsNewer, bool isNew = false)
    {
        var (incoming, local, shadow, echoes) = Inputs(situations);
        var (ours, theirs) = theirsNewer ? (new DateTime(2026, 1, 1), new DateTime(2026, 1, 2)) : (new DateTime(2026, 1, 2), new DateTime(2026, 1, 1));
        return SyncMerge.Merge(Spec.Fields, incoming, local, shadow, echoes, theirs, ours, isNew);
    }

    private static (Dictionary<string, object?> Incoming, Dictionary<string, object?> Local, Dictionary<string, string> Shadow, HashSet<(string, string)> Echoes) Inputs(
        Situation[] situations)
    {
        var incoming = new Dictionary<string, object?>();
        var local = new Dictionary<string, object?>();
        var shadow = new Dictionary<string, string>();
        var echoes = new HashSet<(string, string)>();
        for (var f = 0; f < Fields.Length; f++)
        {
            var (name, s) = (Fields[f], situations[f]);
            incoming[name] = s.Incoming;
            local[name] = s.Local;
            if (s.Shadow is not null)
            {
                shadow[name] = SyncValues.Canonical(s.Shadow);
            }
            if (s.Echo && name != "ownerTeam") // only fields mapped out are ever pushed
            {
                echoes.Add((name, SyncValues.Canonical(s.Incoming)));
            }
        }
        return (incoming, local, shadow, echoes);
    }

    [Fact]
    public void AnEchoOfOurOwnWrite_NeverChangesOurValue_NorCountsAsAConflict() =>
        Records.Sample((situations, newer) =>
        {
            var result = Merge(situations, newer);
            for (var f = 0; f < Fields.Length; f++)
            {
                if (situations[f].Echo && Fields[f] != "ownerTeam" && situations[f].Incoming != situations[f].Local)
                {
                    Assert.Equal(FieldOutcome.Echo, result.Outcomes[Fields[f]]);
                    Assert.False(result.Apply.ContainsKey(Fields[f]));
                    Assert.DoesNotContain(result.Conflicts, c => c.Field == Fields[f]);
                    Assert.Contains((Fields[f], SyncValues.Canonical(situations[f].Incoming)), result.EchoesUsed);
                }
            }
        });

    [Fact]
    public void AConflict_IsRecordedExactlyWhenBothSidesChangedTheField_AndTheOwnerDecides() =>
        Records.Sample((situations, newer) =>
        {
            var result = Merge(situations, newer);
            for (var f = 0; f < Fields.Length; f++)
            {
                var (name, s) = (Fields[f], situations[f]);
                var echo = s.Echo && name != "ownerTeam";
                var bothChanged = s.Incoming != s.Local && !echo && name != "ownerTeam" && s.Shadow != s.Local && s.Shadow != s.Incoming;
                var conflict = result.Conflicts.SingleOrDefault(c => c.Field == name);
                Assert.Equal(bothChanged, conflict is not null);
                if (conflict is null)
                {
                    continue;
                }
                var theirsWin = name switch { "displayName" => true, "region" => false, _ => newer };
                Assert.Equal(theirsWin ? "incoming" : "local", conflict.Winner);
                Assert.Equal(name switch { "displayName" => "owner:external", "region" => "owner:switchboard", _ => "newest" }, conflict.Rule);
                Assert.Equal(theirsWin, result.Apply.ContainsKey(name));
            }
            Assert.Equal(result.Conflicts.Any(c => c.Winner == "local"), result.NeedsPush);
        });

    [Fact]
    public void WithoutAConflict_OnlyTheSideThatChangedTheFieldIsHeard() =>
        Records.Sample((situations, newer) =>
        {
            var result = Merge(situations, newer);
            for (var f = 0; f < Fields.Length; f++)
            {
                var (name, s) = (Fields[f], situations[f]);
                if (result.Conflicts.Any(c => c.Field == name) || result.Outcomes[name] == FieldOutcome.Echo || s.Incoming == s.Local)
                {
                    continue;
                }
                if (name == "ownerTeam" || s.Shadow == s.Local)
                {
                    Assert.Equal(s.Incoming, result.Apply[name]); // the CRM changed it (or only the CRM writes it)
                }
                else
                {
                    Assert.Equal(s.Incoming, s.Shadow); // only we changed it: ours stays, and the shadow still says what both agreed on
                    Assert.False(result.Apply.ContainsKey(name));
                    Assert.Equal(SyncValues.Canonical(s.Shadow), result.Shadow[name]);
                }
            }
        });

    [Fact]
    public void TheSameRecordMergedTwice_ChangesNothingTheSecondTime() =>
        Records.Sample((situations, newer) =>
        {
            var first = Merge(situations, newer);
            var (incoming, local, _, echoes) = Inputs(situations);
            foreach (var (name, value) in first.Apply)
            {
                local[name] = value;
            }
            echoes.ExceptWith(first.EchoesUsed);
            var (ours, theirs) = newer ? (new DateTime(2026, 1, 3), new DateTime(2026, 1, 2)) : (new DateTime(2026, 1, 2), new DateTime(2026, 1, 1));
            var second = SyncMerge.Merge(Spec.Fields, incoming, local, first.Shadow, echoes, theirs, ours, isNew: false);
            Assert.Empty(second.Apply);
            Assert.Empty(second.Conflicts);
            Assert.False(second.NeedsPush);
        });

    [Fact]
    public void ACustomerMadeFromTheRecord_TakesEveryValue_WithoutConflicts() =>
        Records.Sample((situations, newer) =>
        {
            var blank = situations.Select(s => s with { Local = "", Shadow = null, Echo = false }).ToArray();
            var (incoming, _, _, _) = Inputs(blank);
            var result = SyncMerge.Merge(Spec.Fields, incoming, new Dictionary<string, object?>(), null, new HashSet<(string, string)>(), DateTime.UnixEpoch, DateTime.UnixEpoch,
                isNew: true);
            Assert.Empty(result.Conflicts);
            Assert.All(Fields, f => Assert.Equal(incoming[f], result.Apply[f]));
            Assert.Equal(Fields.Length, result.Apply.Count);
        });
}
