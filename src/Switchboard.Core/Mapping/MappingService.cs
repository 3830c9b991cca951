using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Mapping;

/// <summary>A stored version of a mapping spec: the document as written (JSON or YAML), checked when stored.</summary>
public sealed class MappingVersion
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public int Version { get; set; }

    /// <summary><c>json</c> or <c>yaml</c>.</summary>
    public string Format { get; set; } = "json";

    public string Document { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>A stored version as the API shows it.</summary>
public sealed record MappingVersionView(string Name, int Version, string Format, string System, string Entity, int Fields, DateTime CreatedAt, string CreatedBy, string Document);

/// <summary>A field a record would change: what is stored and what would be written.</summary>
public sealed record FieldChange(string Field, object? Stored, object? Incoming, FieldOwner Owner);

/// <summary>What a record would do: <c>create</c>, <c>update</c>, <c>unchanged</c>, or <c>quarantine</c> (with its errors).</summary>
public sealed record DryRunRecord(int Index, string? Key, string Action, IReadOnlyDictionary<string, object?> Values, IReadOnlyList<FieldError> Errors,
    Guid? CustomerId, IReadOnlyList<FieldChange> Changes);

/// <summary>A dry run: the spec's name and version (or "inline"), and each record's outcome.</summary>
public sealed record DryRunResult(string Spec, int? Version, int Create, int Update, int Unchanged, int Quarantine, IReadOnlyList<DryRunRecord> Records);

/// <summary>A dry run's input: a stored spec (by name, and version or the latest) or an inline document, and up to 1,000 records.</summary>
public sealed record DryRunInput(string? Name, int? Version, JsonElement? Document, IReadOnlyList<Dictionary<string, JsonElement>>? Records);

/// <summary>Mapping specs: stored in versions, listed, read, and tried on records without writing anything (docs/mapping.md).</summary>
internal sealed class MappingService(SwitchboardDbContext db, TimeProvider time, AuditLog audit)
{
    public const int MaxDryRunRecords = 1_000;

    /// <summary>Checks and stores a document as the next version of its name; the same document again makes no new version.</summary>
    public async Task<Result<MappingVersionView>> SaveAsync(string name, string text, bool yaml, CancellationToken cancellationToken)
    {
        var spec = MappingSpec.Read(text, yaml);
        if (!spec.IsSuccess)
        {
            return spec.Error!;
        }
        if (spec.Value.Name != name)
        {
            return Error.Validation("name", $"the document is named '{spec.Value.Name}', not '{name}'.");
        }
        var latest = await db.MappingVersions.AsNoTracking().Where(m => m.Name == name).OrderByDescending(m => m.Version).FirstOrDefaultAsync(cancellationToken);
        if (latest is not null && latest.Document == text)
        {
            return View(latest, spec.Value);
        }
        var version = new MappingVersion
        {
            Id = Ids.New(time), Name = name, Version = (latest?.Version ?? 0) + 1, Format = yaml ? "yaml" : "json", Document = text,
            CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = AuditContext.Current.Actor,
        };
        db.MappingVersions.Add(version);
        return await RecordChanges.SaveAsync(db, "mapping", cancellationToken) is { } error ? error : View(version, spec.Value);
    }

    public async Task<Result<MappingVersionView>> GetAsync(string name, int? version, CancellationToken cancellationToken)
    {
        var found = await db.MappingVersions.AsNoTracking().Where(m => m.Name == name && (version == null || m.Version == version))
            .OrderByDescending(m => m.Version).FirstOrDefaultAsync(cancellationToken);
        return found is null ? Error.NotFound("mapping") : View(found, Checked(found));
    }

    /// <summary>The latest version of every spec.</summary>
    public async Task<IReadOnlyList<MappingVersionView>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await db.MappingVersions.AsNoTracking().ToListAsync(cancellationToken);
        return [.. all.GroupBy(m => m.Name).Select(g => g.MaxBy(m => m.Version)!).OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => View(m, Checked(m)))];
    }

    /// <summary>Maps the records as an import or a sync would, and compares them with what is stored; writes nothing (but audits the stored customers it shows).</summary>
    public async Task<Result<DryRunResult>> DryRunAsync(DryRunInput input, CancellationToken cancellationToken)
    {
        if (input.Records is not { Count: > 0 and <= MaxDryRunRecords } records)
        {
            return Error.Validation("records", $"give 1 to {MaxDryRunRecords:N0} records.");
        }
        MappingSpec spec;
        (string Name, int? Version) label;
        if (input.Document is { } document)
        {
            var parsed = MappingSpec.Read(document.ValueKind == JsonValueKind.String ? document.GetString()! : document.GetRawText(), yaml: document.ValueKind == JsonValueKind.String);
            if (!parsed.IsSuccess)
            {
                return parsed.Error!;
            }
            (spec, label) = (parsed.Value, ("inline", null));
        }
        else if (input.Name is { } name)
        {
            var stored = await db.MappingVersions.AsNoTracking().Where(m => m.Name == name && (input.Version == null || m.Version == input.Version))
                .OrderByDescending(m => m.Version).FirstOrDefaultAsync(cancellationToken);
            if (stored is null)
            {
                return Error.NotFound("mapping");
            }
            (spec, label) = (Checked(stored), (stored.Name, stored.Version));
        }
        else
        {
            return Error.Validation("name", "name a stored spec (and optionally its version), or give a document.");
        }
        var mapped = records.Select(r => spec.MapIn(r.ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.OrdinalIgnoreCase))).ToList();
        var keys = mapped.Where(m => m.Key is not null).Select(m => m.Key!).Distinct(StringComparer.Ordinal).ToList();
        var linked = await ExternalIdMap.CustomersByKeyAsync(db, spec.System, keys, tracked: false, cancellationToken);
        var results = new List<DryRunRecord>();
        foreach (var (record, index) in mapped.Select((m, i) => (m, i)))
        {
            if (!record.Ok)
            {
                results.Add(new DryRunRecord(index, record.Key, "quarantine", record.Values, record.Errors, null, []));
                continue;
            }
            if (!linked.TryGetValue(record.Key!, out var customer))
            {
                results.Add(new DryRunRecord(index, record.Key, "create", record.Values, [], null, []));
                continue;
            }
            var stored = spec.Read(customer);
            var changes = record.Values.Where(v => !Same(stored.GetValueOrDefault(v.Key), v.Value))
                .Select(v => new FieldChange(v.Key, stored.GetValueOrDefault(v.Key), v.Value, spec.Fields.First(f => f.Target.Name == v.Key && f.MapsIn).Owner)).ToList();
            results.Add(new DryRunRecord(index, record.Key, changes.Count == 0 ? "unchanged" : "update", record.Values, [], customer.Id, changes));
        }
        string[] shown = [.. spec.Fields.Where(f => f.MapsIn).Select(f => f.Target.Name)];
        await audit.AppendReadsAsync(AuditContext.Current, results.Where(r => r.CustomerId is not null)
            .Select(r => new Security.Disclosure(r.CustomerId!.Value, "customer", r.CustomerId!.Value.ToString("D"), shown)), cancellationToken);
        return new DryRunResult(label.Name, label.Version, results.Count(r => r.Action == "create"), results.Count(r => r.Action == "update"),
            results.Count(r => r.Action == "unchanged"), results.Count(r => r.Action == "quarantine"), results);
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private static bool Same(object? stored, object? incoming) => (stored, incoming) switch
    {
        (IEnumerable<string> a, IEnumerable<string> b) when stored is not string && incoming is not string => a.SequenceEqual(b, StringComparer.Ordinal),
        _ => string.Equals(Convert.ToString(stored, CultureInfo.InvariantCulture), Convert.ToString(incoming, CultureInfo.InvariantCulture), StringComparison.Ordinal),
    };

    /// <summary>A stored version's spec (it was checked when stored).</summary>
    private static MappingSpec Checked(MappingVersion version) =>
        MappingSpec.Read(version.Document, version.Format == "yaml").Value;

    private static MappingVersionView View(MappingVersion m, MappingSpec spec) =>
        new(m.Name, m.Version, m.Format, spec.System, spec.Entity, spec.Fields.Count, m.CreatedAt, m.CreatedBy, m.Document);
}
