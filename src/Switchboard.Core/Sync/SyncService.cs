using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;
using Switchboard.Core.Telephony;

namespace Switchboard.Core.Sync;

/// <summary>A sync connection to make.</summary>
/// <param name="Name">A slug; also the name of its outbox destination.</param>
/// <param name="Vendor">salesforce or hubSpot.</param>
/// <param name="Object">The CRM's object (Account, contacts).</param>
/// <param name="Mapping">The stored mapping spec's name (PUT /api/v1/mappings/{name} first).</param>
/// <param name="Url">The CRM's base URL (https://example.my.salesforce.com, https://api.hubapi.com).</param>
/// <param name="BackupUrl">Where pushes go while the primary's circuit is open.</param>
/// <param name="Auth">none, bearer, basic or header (a Salesforce session or OAuth token, a HubSpot private app token: bearer).</param>
/// <param name="Credential">The token (never shown again).</param>
/// <param name="OurIdField">The CRM's field holding Switchboard's customer id, unique there (Switchboard_Id__c, switchboard_id).</param>
/// <param name="ModifiedField">HubSpot's modified-date property (lastmodifieddate; hs_lastmodifieddate for companies).</param>
/// <param name="PageSize">Records a page: Salesforce 200–2,000 (2,000), HubSpot 1–200 (100).</param>
/// <param name="PollMilliseconds">The wait between passes that found nothing (5,000).</param>
/// <param name="OverlapSeconds">How far before the cursor each pass starts again (120).</param>
/// <param name="PushNew">Push customers made in Switchboard too (true), or only those linked to the CRM.</param>
/// <param name="PushDeletes">Delete in the CRM what is deleted here (false).</param>
public sealed record SyncConnectionInput(string? Name, SyncVendor? Vendor, string? Object, string? Mapping, string? Url, string? BackupUrl, ConnectorAuthScheme? Auth,
    string? Credential, string? OurIdField, string? ModifiedField, int? PageSize, int? PollMilliseconds, int? OverlapSeconds, bool? PushNew, bool? PushDeletes);

/// <summary>A connection and its health: where the cursor stands, the lag and rate of the last records applied (as this node measured them), counters since it was made.</summary>
public sealed record SyncConnectionView(Guid Id, string Name, SyncVendor Vendor, string Object, string Mapping, string Url, string? BackupUrl, ConnectorAuthScheme Auth,
    string OurIdField, string ModifiedField, int PageSize, int PollMilliseconds, int OverlapSeconds, bool PushNew, bool PushDeletes, bool Enabled, DateTime CreatedAt,
    SyncHealthView Health);

/// <summary>
/// Sync health. <paramref name="LagP99Ms"/>: from a record's modification in the CRM to its commit here, over the last
/// records applied. <paramref name="SuccessRate"/>: records taken (applied or unchanged) over records offered
/// (those and the quarantined). <paramref name="PendingPushes"/>: changes waiting in the outbox for the CRM.
/// </summary>
public sealed record SyncHealthView(DateTime? Cursor, double? LagP50Ms, double? LagP99Ms, double RecordsPerSecond, double? SuccessRate, long Applied, long Unchanged,
    long Duplicates, long Echoes, long Conflicts, long Deleted, long Quarantined, long FailedPasses, int PendingPushes, int DeadPushes, DateTime? LastPassAt,
    DateTime? LastSuccessAt, string? LastError);

/// <summary>A conflict's resolution as the API shows it.</summary>
public sealed record SyncConflictView(long Id, Guid CustomerId, string Key, string Field, string? Shadow, string? Local, string? Incoming, string Rule, string Winner, DateTime At);

/// <summary>Sync connections made, listed, removed; their health and conflicts shown; a pass asked for now.</summary>
internal sealed class SyncService(SwitchboardDbContext db, TimeProvider time, DestinationDirectory directory, SyncMonitor monitor, Audit.AuditLog audit)
{
    public async Task<Result<SyncConnectionView>> CreateAsync(SyncConnectionInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        DestinationService.CheckCommon(input.Name, input.Url, input.BackupUrl, null, null, errors);
        if (input.Name is { } name && !SyncVendors.Slug().IsMatch(name))
        {
            errors.Add("name", "lower-case letters, digits, '-' and '_', at most 64 (salesforce-accounts).");
        }
        var vendor = input.Vendor ?? SyncVendor.Salesforce;
        if (!Enum.IsDefined(vendor))
        {
            errors.Add("vendor", "must be salesforce or hubSpot.");
        }
        var ourIdField = input.OurIdField ?? (vendor == SyncVendor.HubSpot ? "switchboard_id" : "Switchboard_Id__c");
        var modifiedField = vendor == SyncVendor.Salesforce ? "SystemModstamp" : input.ModifiedField ?? "lastmodifieddate";
        foreach (var (field, value) in new[] { ("object", input.Object), ("ourIdField", ourIdField), ("modifiedField", modifiedField) })
        {
            if (value is null || !SyncVendors.ApiName().IsMatch(value))
            {
                errors.Add(field, "is required: an API name (letters, digits and '_', starting with a letter, at most 80).");
            }
        }
        var auth = input.Auth ?? ConnectorAuthScheme.Bearer;
        if (!Enum.IsDefined(auth))
        {
            errors.Add("auth", "must be none, bearer, basic or header.");
        }
        else if (ConnectorAuth.Check(auth, input.Credential) is { } problem)
        {
            errors.Add("credential", problem);
        }
        var (pageSize, poll, overlap) = (input.PageSize ?? (vendor == SyncVendor.HubSpot ? 100 : 2000), input.PollMilliseconds ?? 5_000, input.OverlapSeconds ?? 120);
        if (pageSize is < 1 or > 2000 || (vendor == SyncVendor.HubSpot && pageSize > 200) || (vendor == SyncVendor.Salesforce && pageSize < 200))
        {
            errors.Add("pageSize", "Salesforce takes 200 to 2,000 records a page, HubSpot 1 to 200.");
        }
        if (poll is < 10 or > 3_600_000)
        {
            errors.Add("pollMilliseconds", "must be between 10 and 3,600,000.");
        }
        if (overlap is < 0 or > 86_400)
        {
            errors.Add("overlapSeconds", "must be between 0 and 86,400.");
        }
        if (input.Mapping is null || await db.MappingVersions.AnyAsync(m => m.Name == input.Mapping, cancellationToken) is false)
        {
            errors.Add("mapping", "names no stored mapping spec (PUT /api/v1/mappings/{name} first).");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        if (await db.Destinations.AnyAsync(d => d.Name == input.Name!, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, "A sync connection, webhook or connector with this name exists.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var destination = new Destination
        {
            Id = Ids.New(time), Name = input.Name!, Kind = DestinationKind.Sync, Url = input.Url!.Trim(), BackupUrl = input.BackupUrl?.Trim(), Events = "customer.*,contact_point.*",
            Secret = SourceSecrets.NewSecret(), AuthScheme = auth, Credential = auth == ConnectorAuthScheme.None ? null : input.Credential, Role = Role.Integration,
            MaxAttempts = 50, CreatedAt = now, Version = 1, // a CRM's maintenance window must not dead-letter its pushes
        };
        var connection = new SyncConnection
        {
            Id = Ids.New(time), Name = input.Name!, Vendor = vendor, Object = input.Object!, Mapping = input.Mapping!, OurIdField = ourIdField, ModifiedField = modifiedField,
            PageSize = pageSize, PollMilliseconds = poll, OverlapSeconds = overlap, PushNew = input.PushNew ?? true, PushDeletes = input.PushDeletes ?? false,
            DestinationId = destination.Id, CreatedAt = now,
        };
        db.Destinations.Add(destination);
        db.SyncConnections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        await directory.RefreshAsync(db, CancellationToken.None); // changes committed from now on are pushed
        return await ViewAsync(connection, destination, cancellationToken);
    }

    public async Task<IReadOnlyList<SyncConnectionView>> ListAsync(CancellationToken cancellationToken)
    {
        var views = new List<SyncConnectionView>();
        foreach (var connection in await db.SyncConnections.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken))
        {
            views.Add(await ViewAsync(connection, null, cancellationToken));
        }
        return views;
    }

    public async Task<Result<SyncConnectionView>> GetAsync(string name, CancellationToken cancellationToken) =>
        await db.SyncConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, cancellationToken) is { } connection
            ? await ViewAsync(connection, null, cancellationToken)
            : Error.NotFound("sync connection");

    /// <summary>Removes the connection, its state, conflicts and its outbox destination (and queue); the customers, the identity map's links and the quarantine stay.</summary>
    public async Task<Result<bool>> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (await db.SyncConnections.FirstOrDefaultAsync(c => c.Name == name, cancellationToken) is not { } connection)
        {
            return Error.NotFound("sync connection");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.OutboxDeliveries.Where(d => d.DestinationId == connection.DestinationId).ExecuteDeleteAsync(cancellationToken);
        // The destination's row cascades to the connection, and the connection's to its state, echoes and conflicts.
        await db.Destinations.Where(d => d.Id == connection.DestinationId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await directory.RefreshAsync(db, CancellationToken.None);
        return true;
    }

    /// <summary>Wakes the connection's puller for a pass now (it runs on the node that pulls).</summary>
    public async Task<Result<bool>> PullNowAsync(string name, CancellationToken cancellationToken)
    {
        if (await db.SyncConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, cancellationToken) is not { } connection)
        {
            return Error.NotFound("sync connection");
        }
        monitor.WakeUp(connection.Id);
        return true;
    }

    public async Task<Result<IReadOnlyList<SyncConflictView>>> ConflictsAsync(string name, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Error.Validation("limit", "must be between 1 and 1000.");
        }
        if (await db.SyncConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, cancellationToken) is not { } connection)
        {
            return Error.NotFound("sync connection");
        }
        var conflicts = await db.SyncConflicts.AsNoTracking().Where(c => c.ConnectionId == connection.Id && c.Id > (after ?? 0)).OrderBy(c => c.Id).Take(limit ?? 100)
            .Select(c => new SyncConflictView(c.Id, c.CustomerId, c.Key, c.Field, c.Shadow, c.Local, c.Incoming, c.Rule, c.Winner, c.At)).ToListAsync(cancellationToken);
        // The values are customer data: each customer's fields shown are a read in the trail, before the answer.
        await audit.AppendReadsAsync(Audit.AuditContext.Current, conflicts.GroupBy(c => c.CustomerId)
            .Select(g => new Disclosure(g.Key, "customer", g.Key.ToString("D"), [.. g.Select(c => c.Field).Distinct()])), cancellationToken);
        return conflicts;
    }

    private async Task<SyncConnectionView> ViewAsync(SyncConnection c, Destination? destination, CancellationToken cancellationToken)
    {
        destination ??= await db.Destinations.AsNoTracking().FirstAsync(d => d.Id == c.DestinationId, cancellationToken);
        var pending = await db.OutboxDeliveries.CountAsync(d => d.DestinationId == c.DestinationId && d.Status == DeliveryStatus.Pending, cancellationToken);
        var dead = await db.OutboxDeliveries.CountAsync(d => d.DestinationId == c.DestinationId && d.Status == DeliveryStatus.Dead, cancellationToken);
        var (p50, p99, rate) = monitor.Read(c.Id);
        var taken = c.Applied + c.Unchanged; // a record with an echo is one of these
        double? success = taken + c.Quarantined == 0 ? null : (double)taken / (taken + c.Quarantined);
        return new SyncConnectionView(c.Id, c.Name, c.Vendor, c.Object, c.Mapping, destination.Url, destination.BackupUrl, destination.AuthScheme, c.OurIdField, c.ModifiedField,
            c.PageSize, c.PollMilliseconds, c.OverlapSeconds, c.PushNew, c.PushDeletes, c.Enabled, c.CreatedAt,
            new SyncHealthView(c.CursorAt, p50, p99, rate, success, c.Applied, c.Unchanged, c.Duplicates, c.Echoes, c.Conflicts, c.Deleted, c.Quarantined, c.FailedPasses,
                pending, dead, c.LastPassAt, c.LastSuccessAt, c.LastError));
    }
}
