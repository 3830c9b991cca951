using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Sync;

/// <summary>A push made ready: the request, and what to remember when the CRM accepts it.</summary>
public sealed record PreparedPush(HttpRequestMessage Request, Guid ConnectionId, Guid CustomerId, ISyncVendor Vendor, string System, bool IsDelete);

/// <summary>
/// The push side of a sync, called by the outbox's sender for a destination of kind <see cref="DestinationKind.Sync"/>:
/// the customer's current state (not the event's snapshot: in order per customer, the latest state is the right one
/// to send, and a retried push never sends an old value over a newer one) mapped out by the connection's spec and sent
/// as the CRM's upsert by Switchboard's id. Before it is sent, each value is remembered as an echo
/// (<see cref="SyncEcho"/>), so that when the CRM's changed record comes back in a pull it is recognised as ours.
/// When the CRM accepts, the identity map learns its key (first sight, from our side).
/// </summary>
internal sealed class SyncPusher(IServiceScopeFactory scopes, TimeProvider time, MappingSpecCache specs)
{
    /// <summary>The request to send for <paramref name="message"/>, or null when there is nothing to send (not this connection's customer, or a delete it does not push).</summary>
    public async Task<PreparedPush?> PrepareAsync(Destination destination, OutboxMessage message, string endpoint, CancellationToken cancellationToken)
    {
        if (message.CustomerId is not { } customerId)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var connection = await db.SyncConnections.AsNoTracking().FirstOrDefaultAsync(c => c.DestinationId == destination.Id, cancellationToken);
        if (connection is null || await specs.LatestAsync(db, connection.Mapping, cancellationToken) is not { } spec)
        {
            return null;
        }
        var vendor = SyncVendors.Of(connection.Vendor);
        var state = await db.SyncStates.AsNoTracking().FirstOrDefaultAsync(s => s.ConnectionId == connection.Id && s.CustomerId == customerId, cancellationToken);
        var customer = await db.Customers.AsNoTracking().Include(c => c.ContactPoints).FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            // Only a customer this connection links deletes the CRM's record (by its key): a customer merged into another
            // has had its link moved to the survivor, and must not take the survivor's record with it.
            return message.Type == "customer.deleted" && connection.PushDeletes && state is not null
                ? new PreparedPush(vendor.Delete(connection, endpoint, state.Key), connection.Id, customerId, vendor, spec.System, IsDelete: true)
                : null;
        }
        // Known to the identity map (an import of this CRM) but not yet seen by the pull: update that record, never make a second.
        var key = state?.Key ?? await db.ExternalIds.AsNoTracking()
            .Where(e => e.EntityType == CrmEntity.Customer && e.System == spec.System && e.EntityId == customerId).Select(e => e.Key).FirstOrDefaultAsync(cancellationToken);
        if (state is null && !connection.PushNew)
        {
            return null;
        }
        var values = spec.Read(customer);
        var sent = spec.MapOut(values);
        // What each value will look like when it comes back: mapped in again (cleansing may change it: full-width
        // brackets of a name typed here come back half-width), so the echo is known by what the pull will see.
        var back = spec.MapIn(new Dictionary<string, string?>(sent) { [spec.Key] = "echo" });
        var now = time.GetUtcNow().UtcDateTime;
        var remembered = await db.SyncEchoes.AsNoTracking().Where(e => e.ConnectionId == connection.Id && e.CustomerId == customerId)
            .Select(e => new { e.Field, e.Value }).ToListAsync(cancellationToken);
        foreach (var field in spec.Fields.Where(f => f.MapsIn && f.MapsOut && !back.Errors.Any(e => e.Field == f.Source)))
        {
            var value = SyncValues.Canonical(back.Values.GetValueOrDefault(field.Target.Name));
            if (!remembered.Any(e => e.Field == field.Target.Name && e.Value == value))
            {
                db.SyncEchoes.Add(new SyncEcho { ConnectionId = connection.Id, CustomerId = customerId, Field = field.Target.Name, Value = value, At = now });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new PreparedPush(vendor.Upsert(connection, endpoint, customerId.ToString("D"), key, sent), connection.Id, customerId, vendor, spec.System, IsDelete: false);
    }

    /// <summary>After the CRM accepted: the identity map and the connection's state learn the CRM's key (or forget it, for a delete).</summary>
    public async Task CompleteAsync(PreparedPush push, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        if (push.IsDelete)
        {
            await db.SyncStates.Where(s => s.ConnectionId == push.ConnectionId && s.CustomerId == push.CustomerId).ExecuteDeleteAsync(cancellationToken);
            return;
        }
        string? key;
        try
        {
            key = await push.Vendor.UpsertedKeyAsync(response, cancellationToken);
        }
        catch (SyncRequestException)
        {
            return; // accepted, but the answer did not name the record: the pull links it when it comes back with our id
        }
        if (key is not { Length: > 0 and <= Persistence.Limits.ExternalKey }
            || await db.SyncStates.AnyAsync(s => s.ConnectionId == push.ConnectionId && (s.CustomerId == push.CustomerId || s.Key == key), cancellationToken))
        {
            return;
        }
        db.SyncStates.Add(new SyncState { ConnectionId = push.ConnectionId, CustomerId = push.CustomerId, Key = key, SourceModifiedAt = DateTime.UnixEpoch, Shadow = "{}" });
        if (!await db.ExternalIds.AnyAsync(e => e.EntityType == CrmEntity.Customer && e.System == push.System && (e.EntityId == push.CustomerId || e.Key == key), cancellationToken))
        {
            db.ExternalIds.Add(new ExternalId { Id = Common.Ids.New(time), EntityType = CrmEntity.Customer, EntityId = push.CustomerId, System = push.System, Key = key });
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A pull linked it meanwhile (unique on the connection's key and customer): nothing to add.
        }
    }
}
