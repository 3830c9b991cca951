using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Audit;

/// <summary>
/// Every change to customer data and to configuration, through any face, enters the audit trail: the record, each
/// changed field's value before and after (all values for a record created or deleted), attributed to the current
/// actor (<see cref="AuditContext"/>). Entries are appended once the change is committed, and the save returns only
/// when they are durable. Operational rows (the call journal, routing's working state, presence, imported volumes)
/// are not customer data and are left out.
/// </summary>
internal sealed class AuditChangeCapture(AuditLog log) : CommittedChangesInterceptor<List<AuditRecord>>
{
    /// <summary>Entity types audited, by the name the trail gives them.</summary>
    private static readonly Dictionary<Type, string> Audited = new()
    {
        [typeof(Customer)] = "customer", [typeof(ContactPoint)] = "contact_point", [typeof(Order)] = "order",
        [typeof(Ticket)] = "ticket", [typeof(TicketUpdate)] = "ticket_update", [typeof(Opportunity)] = "opportunity",
        [typeof(FollowUpTask)] = "task", [typeof(Interaction)] = "interaction", [typeof(ExternalId)] = "external_id",
        [typeof(Identification.CallerChoice)] = "caller_choice", [typeof(Telephony.TelephonySource)] = "telephony_source",
        [typeof(Routing.RoutingConfigurationRecord)] = "routing_configuration",
        [typeof(Security.UserAccount)] = "user", [typeof(Security.ApiKeyRecord)] = "api_key",
    };

    /// <summary>Secrets, and what stands for them, never enter the trail (that they changed does).</summary>
    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal) { "TokenHash", "SigningSecret", "PasswordHash", "KeyHash" };

    protected override void Collect(DbContext context, Func<List<AuditRecord>> get)
    {
        if (!log.Enabled)
        {
            return;
        }
        var actor = AuditContext.Current;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !Audited.TryGetValue(entry.Metadata.ClrType, out var type))
            {
                continue;
            }
            if (log.HoldOf(context) is { } hold && (hold.Appended || context.Database.CurrentTransaction is null))
            {
                throw new InvalidOperationException("An audited change was saved on a context holding the audit chain outside its transaction, or after the hold appended; its entry could never be. Save in the transaction, before appending.");
            }
            var changes = entry.Properties.Where(p => entry.State != EntityState.Modified || p.IsModified)
                .ToDictionary(p => p.Metadata.Name, p => Secret.Contains(p.Metadata.Name)
                    ? (Before: entry.State == EntityState.Added ? null : (object)"(secret)", After: entry.State == EntityState.Deleted ? null : "(secret)")
                    : (Before: entry.State == EntityState.Added ? null : p.OriginalValue, After: entry.State == EntityState.Deleted ? null : p.CurrentValue));
            get().Add(new AuditRecord(actor.Actor, actor.Role, actor.Channel,
                entry.State switch { EntityState.Added => AuditAction.Create, EntityState.Deleted => AuditAction.Delete, _ => AuditAction.Update },
                type, KeyOf(entry), CustomerOf(entry.Entity), actor.CallId, AuditLog.Changes(changes)));
        }
    }

    protected override void Merge(List<AuditRecord> into, List<AuditRecord> from) => into.AddRange(from);

    /// <summary>Inside a transaction that holds the chain, a save's entries go in with the hold's own, before the commit.</summary>
    protected override bool TakeOver(DbContext context, List<AuditRecord> saved)
    {
        if (log.HoldOf(context) is not { } hold)
        {
            return false;
        }
        hold.Capture(saved);
        return true;
    }

    protected override void Committed(List<AuditRecord> pending)
    {
        foreach (var record in pending)
        {
            _ = log.AppendAsync(record, CancellationToken.None); // a synchronous save cannot wait; the writer still commits it
        }
    }

    protected override Task CommittedAsync(List<AuditRecord> pending, CancellationToken cancellationToken) =>
        Task.WhenAll(pending.Select(record => log.AppendAsync(record, CancellationToken.None)));

    private static string KeyOf(EntityEntry entry) =>
        string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));

    private static Guid? CustomerOf(object entity) => entity switch
    {
        Customer customer => customer.Id,
        ICustomerOwned owned => owned.CustomerId,
        _ => null,
    };
}
