using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Security;

/// <summary>
/// The object-level rule (docs/security.md): a viewer not cleared for all customers (<see cref="Clearance.AllCustomers"/>)
/// may open a customer, and everything it owns, when within <see cref="Window"/> the customer was offered to them on a
/// call (a pop), found by their search with a stated reason, or created by them — each of which the audit trail holds —
/// or when they own the customer. Otherwise the customer does not exist for them (404, the same answer as for an id
/// that exists nowhere). Grants are remembered in memory for speed and read back from the audit trail after a restart
/// or on another node.
/// </summary>
public sealed class CustomerAccess(SwitchboardDbContext db, AccessGrants grants, TimeProvider time)
{
    /// <summary>How long a pop, a search or a creation lets its viewer open the customer: a working day.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(12);

    /// <summary>
    /// Whether the viewer may name a call (look its caller up, wrap it up, read its transcript): any call for roles
    /// cleared for all customers, else only a call that rings or rang at them. Another agent's call does not exist for them.
    /// </summary>
    public static bool MayName(Calls.CallSnapshot call, Viewer viewer) => Clearance.AllCustomers(viewer.Role) || call.Agent == viewer.Name;

    public async Task<bool> MayOpenAsync(Viewer viewer, Guid customerId, CancellationToken cancellationToken)
    {
        if (Clearance.AllCustomers(viewer.Role))
        {
            return true;
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (grants.Has(viewer.Name, customerId, now))
        {
            return true;
        }
        var since = now - Window;
        var lastGrant = await db.AuditLog.AsNoTracking()
            .Where(e => e.CustomerId == customerId && e.Actor == viewer.Name && e.At >= since
                && (e.Action == AuditAction.Search || (e.Action == AuditAction.Create && e.RecordType == "customer")
                    || (e.Action == AuditAction.Read && e.Channel == AuditChannel.SignalR)))
            .MaxAsync(e => (DateTime?)e.At, cancellationToken);
        if (lastGrant is { } at)
        {
            grants.Grant(viewer.Name, customerId, at);
            return true;
        }
        // Ownership is asked every time (not remembered): a customer handed to someone else is closed at once.
        return await db.Customers.AsNoTracking().AnyAsync(c => c.Id == customerId && c.OwnerAgentId == viewer.Name, cancellationToken);
    }
}

/// <summary>Grants this node made or found, each for <see cref="CustomerAccess.Window"/> from when it was made. Bounded: at 100,000 it starts over (the audit trail still answers).</summary>
public sealed class AccessGrants
{
    private readonly ConcurrentDictionary<(string Actor, Guid Customer), DateTime> _until = new();

    /// <param name="actor">Who may open the customer.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="at">When the pop, search or creation happened.</param>
    public void Grant(string actor, Guid customerId, DateTime at)
    {
        if (_until.Count >= 100_000)
        {
            _until.Clear();
        }
        _until[(actor, customerId)] = at + CustomerAccess.Window;
    }

    public bool Has(string actor, Guid customerId, DateTime now) => _until.TryGetValue((actor, customerId), out var until) && until > now;
}
