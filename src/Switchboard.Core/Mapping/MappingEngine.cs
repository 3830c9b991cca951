using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;

namespace Switchboard.Core.Mapping;

/// <summary>One field's map, checked: ready to apply.</summary>
public sealed record FieldMap(int Index, TargetField Target, string? Source, ValueExpression? Expression, FieldDirection Direction, FieldOwner Owner,
    IReadOnlyList<Transform> Transforms, IReadOnlyDictionary<string, string>? Values, IReadOnlyDictionary<string, string>? Reverse, object? Default, bool Required)
{
    public bool MapsIn => Direction != FieldDirection.Out;

    public bool MapsOut => Direction != FieldDirection.In && Source is not null;
}

/// <summary>A problem with one field of one record.</summary>
public sealed record FieldError(string Field, string Reason);

/// <summary>A record mapped in: its key in the other system, Switchboard's values by field, and what could not be mapped.</summary>
public sealed record MappedRecord(string? Key, IReadOnlyDictionary<string, object?> Values, IReadOnlyList<FieldError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// A checked mapping spec and the pure engine that applies it (property-tested: a record mapped out and back equals
/// the original on the fields that side owns). In: the other system's record (field → text) through each field's
/// transforms, value map, default and checks into Switchboard's values. Out: Switchboard's values through the value
/// map reversed and the transforms' inverses into the other system's fields.
/// </summary>
public sealed partial class MappingSpec
{
    public const int MaxFields = 200;

    private MappingSpec(string name, string entity, string system, string key, TransformContext context, IReadOnlyList<FieldMap> fields) =>
        (Name, Entity, System, Key, Context, Fields) = (name, entity, system, key, context, fields);

    public string Name { get; }

    public string Entity { get; }

    public string System { get; }

    public string Key { get; }

    public TransformContext Context { get; }

    public IReadOnlyList<FieldMap> Fields { get; }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    /// <summary>Reads a document (JSON, or YAML when <paramref name="yaml"/>) and checks it: the one way a spec's text becomes a spec.</summary>
    public static Result<MappingSpec> Read(string text, bool yaml)
    {
        var read = SpecReader.Read(text, yaml);
        return read.IsSuccess ? Parse(read.Value) : read.Error!;
    }

    /// <summary>Checks a document: every problem, each with its field (<c>fields[3].values</c>) and reason.</summary>
    public static Result<MappingSpec> Parse(MappingDocument? document)
    {
        var errors = new ValidationErrors();
        if (document is null)
        {
            return Error.Validation("document", "is empty.");
        }
        if (document.Name is not { } name || !Slug().IsMatch(name))
        {
            errors.Add("name", "is required: lower-case letters, digits, '-' and '_', at most 64 (salesforce-accounts).");
        }
        if (document.Entity != "customer")
        {
            errors.Add("entity", "must be customer (the records calls need; more entities come with the sync).");
        }
        if (document.System is not { } system || !Slug().IsMatch(system))
        {
            errors.Add("system", "is required: the other system's name as the identity map keeps it (salesforce), lower-case letters, digits, '-' and '_'.");
        }
        if (string.IsNullOrWhiteSpace(document.Key) || document.Key.Length > 128)
        {
            errors.Add("key", "is required: the other system's field that holds its id (at most 128 characters).");
        }
        var region = (document.Region ?? "CN").ToUpperInvariant();
        if (!PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region))
        {
            errors.Add("region", "is not a region phone numbers know (ISO 3166 alpha-2: CN, HK, US).");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(document.TimeZone ?? "Asia/Shanghai", out var zone))
        {
            errors.Add("timeZone", "names no time zone this machine knows (IANA: Asia/Shanghai).");
        }
        var fields = new List<FieldMap>();
        if (document.Fields is not { Count: > 0 } given)
        {
            errors.Add("fields", "at least one field.");
        }
        else if (given.Count > MaxFields)
        {
            errors.Add("fields", $"at most {MaxFields}.");
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                if (Field(i, given[i], errors) is { } field)
                {
                    fields.Add(field);
                }
            }
            foreach (var twice in fields.Where(f => f.MapsIn).GroupBy(f => f.Target.Name).Where(g => g.Count() > 1))
            {
                errors.Add($"fields[{twice.Last().Index}].target", $"'{twice.Key}' is mapped in by more than one field.");
            }
            foreach (var twice in fields.Where(f => f.MapsOut).GroupBy(f => f.Source).Where(g => g.Count() > 1))
            {
                errors.Add($"fields[{twice.Last().Index}].source", $"'{twice.Key}' is written out by more than one field.");
            }
        }
        return errors.Any ? errors.ToError()
            : new MappingSpec(document.Name!, "customer", document.System!, document.Key!.Trim(), new TransformContext(region, zone!), fields);
    }

    private static FieldMap? Field(int index, FieldDocument? field, ValidationErrors errors)
    {
        var at = $"fields[{index}]";
        if (field is null)
        {
            errors.Add(at, "is empty.");
            return null;
        }
        var before = errors.Count;
        if (field.Target is null || !CustomerFields.All.TryGetValue(field.Target, out var target))
        {
            errors.Add(at + ".target", $"'{Short(field.Target)}' is not a customer field: {string.Join(", ", CustomerFields.All.Keys)}.");
            target = null;
        }
        if ((field.Source is null) == (field.Expression is null))
        {
            errors.Add(at + ".source", "give a source field or an expression, not both.");
        }
        if (field.Source is { Length: 0 or > 128 })
        {
            errors.Add(at + ".source", "is 1 to 128 characters.");
        }
        ValueExpression? expression = null;
        if (field.Expression is { } text)
        {
            var parsed = ValueExpression.Parse(text, at + ".expression");
            if (parsed.IsSuccess)
            {
                expression = parsed.Value;
            }
            else
            {
                errors.Add(at + ".expression", parsed.Error!.Fields?.Values.SelectMany(r => r).FirstOrDefault() ?? "is not a valid expression.");
            }
            if (field.Direction is FieldDirection.Out or FieldDirection.Both)
            {
                errors.Add(at + ".direction", "a computed field maps in only.");
            }
        }
        var direction = field.Direction ?? (expression is null ? FieldDirection.Both : FieldDirection.In);
        if (!Enum.IsDefined(direction))
        {
            errors.Add(at + ".direction", "must be both, in or out.");
        }
        var owner = field.Owner ?? FieldOwner.External;
        if (!Enum.IsDefined(owner))
        {
            errors.Add(at + ".owner", "must be external, switchboard or shared.");
        }
        var transforms = new List<Transform>();
        foreach (var (named, i) in (field.Transforms ?? []).Select((t, i) => (t, i)))
        {
            var (transform, problem) = Transform.Of(named ?? "");
            if (transform is null)
            {
                errors.Add($"{at}.transforms[{i}]", problem!);
            }
            else
            {
                transforms.Add(transform);
            }
        }
        if (transforms.FindIndex(t => t.Splits) is var split and >= 0 && (split != transforms.Count - 1 || target?.Kind != FieldKind.List))
        {
            errors.Add(at + ".transforms", "split makes a list: it comes last, and only for a list field (tags).");
        }
        if (target?.Kind == FieldKind.List && field.Source is not null && !transforms.Any(t => t.Splits))
        {
            errors.Add(at + ".transforms", $"'{target.Name}' is a list: end the transforms with split:SEPARATOR (split:;).");
        }
        IReadOnlyDictionary<string, string>? reverse = null;
        if (field.Values is { } values)
        {
            if (values.Count is 0 or > 1000)
            {
                errors.Add(at + ".values", "has 1 to 1,000 entries.");
            }
            foreach (var (from, to) in values)
            {
                if (target is { Kind: FieldKind.Choice } && !target.Choices.Contains(to))
                {
                    errors.Add(at + ".values", $"'{Short(from)}' maps to '{Short(to)}', which {target.Name} does not take: {string.Join(", ", target.Choices)}.");
                }
            }
            var ambiguous = values.GroupBy(v => v.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            if (ambiguous.Count > 0 && direction != FieldDirection.In)
            {
                errors.Add(at + ".values", $"'{Short(ambiguous[0].Key)}' comes from more than one value, so it cannot be mapped back out: make the field direction in, or the map one to one.");
            }
            else
            {
                reverse = values.GroupBy(v => v.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
            }
        }
        object? fallback = null;
        if (field.Default is { } given)
        {
            fallback = given.ValueKind switch
            {
                JsonValueKind.String => given.GetString(),
                JsonValueKind.Array when target?.Kind == FieldKind.List && given.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                    => given.EnumerateArray().Select(e => e.GetString()!).ToList(),
                JsonValueKind.Null => null,
                _ => Invalid(),
            };
            if (target is not null && fallback is not null && Check(target, fallback) is { } problem)
            {
                errors.Add(at + ".default", problem);
            }
        }
        return errors.Count > before || target is null
            ? null
            : new FieldMap(index, target, field.Source, expression, direction, owner, transforms, field.Values, reverse, fallback, field.Required ?? false);

        object? Invalid()
        {
            errors.Add(at + ".default", target?.Kind == FieldKind.List ? "is a list of strings." : "is a string.");
            return null;
        }
    }

    /// <summary>Maps one record of the other system in.</summary>
    public MappedRecord MapIn(IReadOnlyDictionary<string, string?> record)
    {
        record = IgnoringCase(record);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        var key = record.TryGetValue(Key, out var k) && !string.IsNullOrWhiteSpace(k) ? k.Trim() : null;
        if (key is null)
        {
            errors.Add(new FieldError(Key, "the record has no id in this field."));
        }
        else if (key.Length > 200)
        {
            errors.Add(new FieldError(Key, "the id is longer than 200 characters."));
        }
        foreach (var field in Fields.Where(f => f.MapsIn))
        {
            var name = field.Source ?? field.Target.Name;
            string? text;
            if (field.Expression is { } expression)
            {
                try
                {
                    text = Convert.ToString(expression.Evaluate(record), CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
                {
                    errors.Add(new FieldError(field.Target.Name, "its expression failed on this record."));
                    continue;
                }
            }
            else
            {
                text = record.TryGetValue(field.Source!, out var raw) ? raw : null;
            }
            object? value = null;
            string? error = null;
            if (!string.IsNullOrWhiteSpace(text))
            {
                foreach (var transform in field.Transforms.Where(t => !t.Splits))
                {
                    var step = transform.In(text!, Context);
                    if (step.Error is not null)
                    {
                        error = $"'{Short(text)}' {step.Error}";
                        break;
                    }
                    text = step.Value;
                }
                if (error is null && !string.IsNullOrEmpty(text))
                {
                    value = field.Transforms.FirstOrDefault(t => t.Splits) is { } split
                        ? text.Split(split.Separator!, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Valued(field, v)).ToList()
                        : (object)Valued(field, text);
                }
            }
            if (error is not null)
            {
                errors.Add(new FieldError(name, error));
                continue;
            }
            value ??= field.Default;
            if (value is null || value is List<string> { Count: 0 })
            {
                if (field.Required)
                {
                    errors.Add(new FieldError(name, $"is required (for {field.Target.Name})."));
                }
                continue;
            }
            if (Check(field.Target, value) is { } problem)
            {
                errors.Add(new FieldError(name, $"'{Short(Convert.ToString(value, CultureInfo.InvariantCulture))}' {problem}"));
                continue;
            }
            values[field.Target.Name] = value;
        }
        return new MappedRecord(key, values, errors);
    }

    /// <summary>The record with its field names matched without regard to case (CSV headers and CRMs' APIs vary); the first of two names differing only in case wins.</summary>
    private static IReadOnlyDictionary<string, string?> IgnoringCase(IReadOnlyDictionary<string, string?> record)
    {
        if (record is Dictionary<string, string?> { Comparer: var comparer } && ReferenceEquals(comparer, StringComparer.OrdinalIgnoreCase))
        {
            return record;
        }
        var folded = new Dictionary<string, string?>(record.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in record)
        {
            folded.TryAdd(name, value);
        }
        return folded;
    }

    /// <summary>Maps Switchboard's values (by field) out to the other system's fields; fields mapped in only, and values it lacks, are left out.</summary>
    public Dictionary<string, string?> MapOut(IReadOnlyDictionary<string, object?> values, string? key = null)
    {
        var record = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (key is not null)
        {
            record[Key] = key;
        }
        foreach (var field in Fields.Where(f => f.MapsOut))
        {
            if (!values.TryGetValue(field.Target.Name, out var value) || value is null)
            {
                record[field.Source!] = null;
                continue;
            }
            List<string> parts = value is string one ? [one] : value is IEnumerable<string> list ? [.. list] : [Convert.ToString(value, CultureInfo.InvariantCulture)!];
            parts = [.. parts.Select(p => field.Reverse is not null && field.Reverse.TryGetValue(p, out var theirs) ? theirs : p)];
            var text = field.Transforms.FirstOrDefault(t => t.Splits) is { } split ? string.Join(split.Separator, parts) : parts[0];
            foreach (var transform in field.Transforms.Where(t => !t.Splits).Reverse())
            {
                text = transform.Out(text, Context);
            }
            record[field.Source!] = text;
        }
        return record;
    }

    /// <summary>A customer's values for the fields this spec maps in (what an incoming record is compared with).</summary>
    public Dictionary<string, object?> Read(Customer customer) =>
        Fields.Where(f => f.MapsIn).ToDictionary(f => f.Target.Name, f => f.Target.Read(customer), StringComparer.Ordinal);

    private static string Valued(FieldMap field, string text) =>
        field.Values is not null && field.Values.TryGetValue(text, out var ours) ? ours : text;

    /// <summary>Why a value does not fit a field, or null.</summary>
    private static string? Check(TargetField target, object value) => (target.Kind, value) switch
    {
        (FieldKind.List, List<string> list) => list.Count > 50 ? "has more than 50 entries." : list.FirstOrDefault(v => v.Length > target.MaxLength) is { } longer
            ? $"'{Short(longer)}' is longer than {target.MaxLength} characters." : null,
        (FieldKind.List, _) => "is not a list.",
        (_, List<string>) => "is a list, for a field that takes one value.",
        (FieldKind.Choice, string s) => target.Choices.Contains(s) ? null : $"is not a value {target.Name} takes ({string.Join(", ", target.Choices)}); map it with values.",
        (FieldKind.Phone, string s) => s.StartsWith('+') && s.Length is > 7 and <= 16 && s.Skip(1).All(char.IsAsciiDigit) ? null : "is not an E.164 number (add the e164 transform).",
        (FieldKind.Email, string s) => s.Length <= target.MaxLength && s.IndexOf('@', StringComparison.Ordinal) is > 0 && !s.Any(char.IsWhiteSpace) ? null : "is not an email address.",
        (_, string s) => s.Length <= target.MaxLength ? null : $"is longer than {target.MaxLength} characters.",
        _ => "is not text.",
    };

    private static string Short(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;
}
