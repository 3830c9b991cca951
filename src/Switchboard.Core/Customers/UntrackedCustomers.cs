using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>What <see cref="UntrackedCustomers.WriteAsync"/> wrote: the audit entries to append in the same transaction, and what the pop cache must forget once it commits.</summary>
internal sealed record CustomerWrites(List<AuditRecord> Audit, HashSet<Guid> Customers, HashSet<string> Numbers, int Messages);

/// <summary>
/// A batch's customers read without EF's change tracker (with their contact points), changed in memory, and written
/// back the way the replica's own save writes them (ADR 0019): each changed row updated where its version is as read,
/// contact points added and removed, an audit record per changed row with its fields before and after (what
/// <see cref="AuditChangeCapture"/> records for an EF save), an outbox message per changed customer and contact point
/// routed to the destinations that take it (what <see cref="OutboxCapture"/> adds), and the customers and numbers whose
/// pop contexts must be forgotten after the commit (what <see cref="ScreenPop.PopContextInvalidation"/> collects).
/// </summary>
internal sealed class UntrackedCustomers(DbContext db)
{
    private readonly UntrackedRows<Customer> _customers = new(db);
    private readonly UntrackedRows<ContactPoint> _points = new(db);
    private readonly Dictionary<Guid, (Customer Customer, List<ContactPoint> Points)> _read = [];

    /// <summary>Watches a customer read without tracking, with its contact points as read.</summary>
    public void Read(Customer customer)
    {
        if (_read.TryAdd(customer.Id, (customer, [.. customer.ContactPoints])))
        {
            _customers.Read(customer);
            customer.ContactPoints.ForEach(_points.Read);
        }
    }

    /// <summary>Stops watching a customer (it is written another way: removed through EF).</summary>
    public void Forget(Customer customer)
    {
        if (_read.Remove(customer.Id, out var read))
        {
            _customers.Forget(customer);
            read.Points.ForEach(_points.Forget);
        }
    }

    /// <summary>Writes every change of the watched customers in <paramref name="transaction"/>, with their outbox messages; returns their audit records.</summary>
    public async Task<CustomerWrites> WriteAsync(DbTransaction transaction, AuditActor actor, bool audit, DestinationDirectory directory, DateTime now,
        CancellationToken cancellationToken)
    {
        var writes = new CustomerWrites([], [], new HashSet<string>(StringComparer.Ordinal), 0);
        var messages = new List<OutboxMessage>();
        var made = new List<ContactPoint>();
        await using var writer = new RowWriter(transaction);
        foreach (var (customer, pointsAsRead) in _read.Values)
        {
            if (_customers.ChangeOf(customer) is { } change)
            {
                await _customers.UpdateAsync(writer, change, cancellationToken);
                Changed(writes, messages, actor, audit, AuditAction.Update, customer, customer.Id, change.Values, "updated", now);
            }
            var kept = customer.ContactPoints.Select(p => p.Id).ToHashSet();
            foreach (var point in pointsAsRead.Where(p => !kept.Contains(p.Id)))
            {
                var asRead = _points.AsRead(point);
                Changed(writes, messages, actor, audit, AuditAction.Delete, point, customer.Id, asRead, "deleted", now);
                Number(writes, asRead[nameof(ContactPoint.E164)].Before);
                await _points.DeleteAsync(writer, point, cancellationToken);
            }
            foreach (var point in customer.ContactPoints)
            {
                if (!_points.IsRead(point))
                {
                    made.Add(point);
                    Changed(writes, messages, actor, audit, AuditAction.Create, point, customer.Id, _points.Made(point), "created", now);
                    Number(writes, point.E164);
                }
                else if (_points.ChangeOf(point) is { } pointChange)
                {
                    await _points.UpdateAsync(writer, pointChange, cancellationToken);
                    Changed(writes, messages, actor, audit, AuditAction.Update, point, customer.Id, pointChange.Values, "updated", now);
                    Number(writes, pointChange.Values.GetValueOrDefault(nameof(ContactPoint.E164)).Before);
                    Number(writes, point.E164);
                }
            }
        }
        await Bulk.InsertAllAsync(db, transaction, made, cancellationToken);
        await OutboxCapture.WriteAsync(db, transaction, directory, messages, now, cancellationToken);
        return writes with { Messages = messages.Count };
    }

    private static void Changed(CustomerWrites writes, List<OutboxMessage> messages, AuditActor actor, bool audit, AuditAction action, CrmRecord record, Guid customerId,
        Dictionary<string, (object? Before, object? After)> values, string change, DateTime now)
    {
        writes.Customers.Add(customerId);
        if (audit)
        {
            writes.Audit.Add(new AuditRecord(actor.Actor, actor.Role, actor.Channel, action, record is Customer ? "customer" : "contact_point", record.Id.ToString("D"),
                customerId, actor.CallId, AuditLog.Changes(values)));
        }
        if (OutboxCapture.MessageFor(record, change, now, actor.Actor) is { } message)
        {
            messages.Add(message);
        }
    }

    private static void Number(CustomerWrites writes, object? e164)
    {
        if (e164 is string number)
        {
            writes.Numbers.Add(number);
        }
    }
}
