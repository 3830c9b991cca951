using System.Text.Json;
using Switchboard.Core.Mapping;

namespace Switchboard.Core.Sync;

/// <summary>Values as the sync compares and keeps them: canonical JSON of Switchboard's value (<c>null</c>, <c>"text"</c>, <c>["a","b"]</c>).</summary>
public static class SyncValues
{
    public const string Null = "null";

    /// <summary>The value's canonical JSON; no value, an empty text and an empty list are all <see cref="Null"/> (a mapping maps none of them in).</summary>
    public static string Canonical(object? value) => value switch
    {
        null or "" => Null,
        string s => JsonSerializer.Serialize(s),
        IEnumerable<string> list => list.Any() ? JsonSerializer.Serialize(list.ToList()) : Null,
        _ => JsonSerializer.Serialize(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    public static Dictionary<string, string> ReadShadow(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string WriteShadow(IReadOnlyDictionary<string, string> shadow) => JsonSerializer.Serialize(shadow);
}

/// <summary>What became of one field of an incoming record.</summary>
public enum FieldOutcome
{
    /// <summary>Both sides hold the same value.</summary>
    Same,

    /// <summary>The CRM's value is written to Switchboard.</summary>
    Apply,

    /// <summary>Switchboard's value stays (the CRM did not change it, or lost a conflict and gets ours pushed).</summary>
    KeepLocal,

    /// <summary>The CRM's value is one Switchboard pushed: our own write coming back; neither applied nor pushed again.</summary>
    Echo,
}

/// <summary>A conflict and its resolution: both sides changed the field since they last agreed.</summary>
public sealed record ConflictResolution(string Field, string? Shadow, string Local, string Incoming, string Rule, string Winner);

/// <summary>The merge of one incoming record: values to write, the new shadow, the echoes it used up, the conflicts, and whether Switchboard must push its values back.</summary>
public sealed record MergeResult(
    IReadOnlyDictionary<string, FieldOutcome> Outcomes,
    IReadOnlyDictionary<string, object?> Apply,
    IReadOnlyDictionary<string, string> Shadow,
    IReadOnlyList<(string Field, string Value)> EchoesUsed,
    IReadOnlyList<ConflictResolution> Conflicts,
    bool NeedsPush);

/// <summary>
/// Per-field merge of a record pulled from a CRM with the customer as Switchboard holds it: a pure function
/// (property-tested). For each field the mapping maps in, with I the CRM's value, L ours and S the shadow (what both
/// last agreed on):
/// <list type="number">
/// <item>I = L: the same; the shadow becomes I.</item>
/// <item>I is a value Switchboard pushed for this field and has not seen come back: an echo, skipped (a newer local value is not overwritten by our own older write).</item>
/// <item>A field mapped in only: the CRM is its only writer; I is applied.</item>
/// <item>I = S: the CRM did not change it; ours stays (its own push is on the way).</item>
/// <item>L = S: only the CRM changed it; I is applied.</item>
/// <item>Otherwise both changed it (or there is no shadow: first sight of an existing customer): a conflict, resolved by
/// the field's owner — external: theirs; switchboard: ours, pushed back; shared: the later change (the record's
/// modification time against the customer's). Every conflict is returned for the record.</item>
/// </list>
/// </summary>
public static class SyncMerge
{
    public static MergeResult Merge(IEnumerable<FieldMap> fields, IReadOnlyDictionary<string, object?> incoming, IReadOnlyDictionary<string, object?> local,
        IReadOnlyDictionary<string, string>? shadow, IReadOnlySet<(string Field, string Value)> echoes, DateTime incomingAt, DateTime localAt, bool isNew)
    {
        var outcomes = new Dictionary<string, FieldOutcome>(StringComparer.Ordinal);
        var apply = new Dictionary<string, object?>(StringComparer.Ordinal);
        var after = shadow is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(shadow, StringComparer.Ordinal);
        var used = new List<(string, string)>();
        var conflicts = new List<ConflictResolution>();
        var push = false;
        foreach (var field in fields.Where(f => f.MapsIn))
        {
            var name = field.Target.Name;
            var theirs = incoming.GetValueOrDefault(name);
            var (i, l) = (SyncValues.Canonical(theirs), SyncValues.Canonical(local.GetValueOrDefault(name)));
            var s = shadow is not null && shadow.TryGetValue(name, out var agreed) ? agreed : null;
            FieldOutcome outcome;
            if (i == l)
            {
                outcome = FieldOutcome.Same;
                if (echoes.Contains((name, i)))
                {
                    used.Add((name, i));
                }
            }
            else if (isNew)
            {
                outcome = FieldOutcome.Apply;
            }
            else if (echoes.Contains((name, i)))
            {
                outcome = FieldOutcome.Echo;
                used.Add((name, i));
            }
            else if (field.Direction == FieldDirection.In || s == l)
            {
                outcome = FieldOutcome.Apply;
            }
            else if (s == i)
            {
                outcome = FieldOutcome.KeepLocal;
                outcomes[name] = outcome;
                continue; // the shadow stays what both agreed on
            }
            else
            {
                var (rule, theirsWin) = field.Owner switch
                {
                    FieldOwner.Switchboard => ("owner:switchboard", false),
                    FieldOwner.Shared => ("newest", incomingAt > localAt),
                    _ => ("owner:external", true),
                };
                conflicts.Add(new ConflictResolution(name, s, l, i, rule, theirsWin ? "incoming" : "local"));
                outcome = theirsWin ? FieldOutcome.Apply : FieldOutcome.KeepLocal;
                push |= !theirsWin;
            }
            outcomes[name] = outcome;
            if (outcome == FieldOutcome.Apply)
            {
                apply[name] = theirs;
            }
            after[name] = i;
        }
        return new MergeResult(outcomes, apply, after, used, conflicts, push);
    }
}
