using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>Reads and writes the identity map (<see cref="ExternalId"/>) for any record type.</summary>
internal static class ExternalIdMap
{
    public static void Validate(IReadOnlyList<ExternalIdInput>? inputs, ValidationErrors errors, string prefix = "externalIds")
    {
        if (inputs is null)
        {
            return;
        }
        if (inputs.Count > Limits.MaxExternalIds)
        {
            errors.Add(prefix, $"must hold at most {Limits.MaxExternalIds} ids.");
            return;
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            errors.Required($"{prefix}[{i}].system", inputs[i]?.System, Limits.Code);
            errors.Required($"{prefix}[{i}].id", inputs[i]?.Id, Limits.ExternalKey);
        }
        var duplicateSystems = inputs.Where(e => e?.System is not null).GroupBy(e => e.System!.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicateSystems)
        {
            errors.Add(prefix, $"names the system '{duplicate.Key}' more than once.");
        }
    }

    /// <summary>A conflict when any of the ids already belongs to another record of the same type.</summary>
    public static async Task<Error?> FindTakenAsync(
        SwitchboardDbContext db, CrmEntity type, Guid entityId, IReadOnlyList<ExternalIdInput>? inputs, CancellationToken cancellationToken)
    {
        foreach (var input in inputs ?? [])
        {
            var system = Normalize(input.System!);
            var key = input.Id!.Trim();
            var taken = await db.ExternalIds.AsNoTracking()
                .AnyAsync(e => e.EntityType == type && e.System == system && e.Key == key && e.EntityId != entityId, cancellationToken);
            if (taken)
            {
                return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate,
                    $"Another {type} already carries this id of the system '{system}'.");
            }
        }
        return null;
    }

    /// <summary>Replaces the record's external ids with <paramref name="inputs"/> (no-op when null).</summary>
    public static async Task ReplaceAsync(
        SwitchboardDbContext db, TimeProvider time, CrmEntity type, Guid entityId, IReadOnlyList<ExternalIdInput>? inputs, bool isNew, CancellationToken cancellationToken)
    {
        if (inputs is null)
        {
            return;
        }
        if (!isNew)
        {
            db.ExternalIds.RemoveRange(await db.ExternalIds.Where(e => e.EntityType == type && e.EntityId == entityId).ToListAsync(cancellationToken));
        }
        foreach (var input in inputs)
        {
            db.ExternalIds.Add(new ExternalId { Id = Ids.New(time), EntityType = type, EntityId = entityId, System = Normalize(input.System!), Key = input.Id!.Trim() });
        }
    }

    /// <summary>The external ids of the given records, whatever their type (ids are unique across types).</summary>
    public static async Task<ILookup<Guid, ExternalIdView>> LoadAsync(
        SwitchboardDbContext db, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
    {
        if (entityIds.Count == 0)
        {
            return Array.Empty<ExternalId>().ToLookup(e => e.EntityId, e => new ExternalIdView(e.System, e.Key));
        }
        var rows = await db.ExternalIds.AsNoTracking()
            .Where(e => entityIds.Contains(e.EntityId))
            .ToListAsync(cancellationToken);
        return rows.ToLookup(e => e.EntityId, e => new ExternalIdView(e.System, e.Key));
    }

    public static async Task<Guid?> FindEntityAsync(SwitchboardDbContext db, CrmEntity type, string system, string key, CancellationToken cancellationToken)
    {
        var normalized = Normalize(system);
        var trimmed = key.Trim();
        return await db.ExternalIds.AsNoTracking()
            .Where(e => e.EntityType == type && e.System == normalized && e.Key == trimmed)
            .Select(e => (Guid?)e.EntityId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public static async Task RemoveAllAsync(SwitchboardDbContext db, CrmEntity type, Guid entityId, CancellationToken cancellationToken) =>
        db.ExternalIds.RemoveRange(await db.ExternalIds.Where(e => e.EntityType == type && e.EntityId == entityId).ToListAsync(cancellationToken));

    /// <summary>
    /// The customers the identity map links to <paramref name="keys"/> of <paramref name="system"/> (its name in any
    /// case), with their contact points, by key (keys it does not know are absent). The keys go as one parameter, however
    /// many there are.
    /// </summary>
    public static async Task<Dictionary<string, Customer>> CustomersByKeyAsync(
        SwitchboardDbContext db, string system, IReadOnlyCollection<string> keys, bool tracked, CancellationToken cancellationToken)
    {
        var normalized = Normalize(system);
        var links = await db.ExternalIds.AsNoTracking().Where(e => e.EntityType == CrmEntity.Customer && e.System == normalized && EF.Parameter(keys).Contains(e.Key))
            .ToDictionaryAsync(e => e.Key, e => e.EntityId, StringComparer.Ordinal, cancellationToken);
        var ids = links.Values.Distinct().ToList();
        var query = db.Customers.Include(c => c.ContactPoints).Where(c => EF.Parameter(ids).Contains(c.Id));
        var customers = await (tracked ? query : query.AsNoTracking()).ToDictionaryAsync(c => c.Id, cancellationToken);
        return links.Where(l => customers.ContainsKey(l.Value)).ToDictionary(l => l.Key, l => customers[l.Value], StringComparer.Ordinal);
    }

    /// <summary>System names compare case-insensitively: "Salesforce" and "salesforce" are one system.</summary>
    private static string Normalize(string system) => system.Trim().ToLowerInvariant();
}
