using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Customers.Profiles;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Outbox;

/// <summary>
/// Writes the outbox in the same transaction as the change (an EF save interceptor): before every save, each
/// customer, contact point, order, ticket, opportunity, task and interaction the save creates, changes or deletes
/// becomes an <see cref="OutboxMessage"/> added to the same save, so the message commits exactly when the change does.
/// Each message is routed in the same save too: a delivery for every destination the <see cref="DestinationDirectory"/>
/// knows that wants it. After the commit the dispatcher is woken (<see cref="OutboxSignal"/>), so delivery does not
/// wait for its next poll.
/// Bulk statements (<c>ExecuteUpdate</c>) bypass it; the replica's writers do not use them for these records.
/// </summary>
internal sealed class OutboxCapture(TimeProvider time, OutboxSignal signal, DestinationDirectory directory) : CommittedChangesInterceptor<OutboxCapture.Pending>
{
    internal sealed class Pending
    {
        public int Count { get; set; }
    }

    private static readonly OrderProfile Orders = new();
    private static readonly TicketProfile Tickets = new();
    private static readonly OpportunityProfile Opportunities = new();
    private static readonly FollowUpTaskProfile Tasks = new();
    private static readonly InteractionProfile Interactions = new();

    protected override void Collect(DbContext context, Func<Pending> get)
    {
        context.ChangeTracker.DetectChanges();
        var messages = new List<OutboxMessage>();
        var now = time.GetUtcNow().UtcDateTime;
        var actor = AuditContext.Current.Actor;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                && MessageFor(entry.Entity, entry.State switch { EntityState.Added => "created", EntityState.Deleted => "deleted", _ => "updated" }, now, actor) is { } message)
            {
                messages.Add(message);
            }
        }
        if (messages.Count > 0)
        {
            Add(context, directory, messages, now);
            get().Count += messages.Count;
        }
    }

    /// <summary>The message for a change of a published record (<paramref name="change"/>: created, updated, deleted), or null for what is not published.</summary>
    internal static OutboxMessage? MessageFor(object entity, string change, DateTime now, string actor)
    {
        if (Describe(entity) is not { } described)
        {
            return null;
        }
        var type = described.RecordType == "interaction" && entity is Interaction { Kind: InteractionKind.Call } && change == "created"
            ? "call.logged" : $"{described.RecordType}.{change}";
        return new OutboxMessage
        {
            Type = type, RecordType = described.RecordType, RecordId = ((CrmRecord)entity).Id,
            CustomerId = described.CustomerId, OrderKey = "customer:" + described.CustomerId.ToString("N"),
            Payload = JsonSerializer.Serialize(described.View, described.View.GetType(), WireJson.Options), OccurredAt = now, Actor = actor,
        };
    }

    /// <summary>Adds messages to the save, each routed to every destination the directory knows that takes it (else left to the router).</summary>
    internal static void Add(DbContext context, DestinationDirectory directory, IEnumerable<OutboxMessage> messages, DateTime now)
    {
        foreach (var message in messages)
        {
            context.Add(message);
            if (directory.Enabled is { } destinations)
            {
                context.AddRange(Route(message, destinations, now));
            }
        }
    }

    /// <summary>
    /// Writes messages, each routed as <see cref="Add"/> routes it, straight into a transaction without EF's tracker
    /// (for bulk writers whose changes no save sees: ADR 0019); the caller wakes the <see cref="OutboxSignal"/> after the commit.
    /// </summary>
    internal static async Task WriteAsync(DbContext db, System.Data.Common.DbTransaction transaction, DestinationDirectory directory, IReadOnlyList<OutboxMessage> messages,
        DateTime now, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        var deliveries = new List<OutboxDelivery>();
        await using (var inserter = new BulkInserter<OutboxMessage>(db, transaction))
        {
            foreach (var message in messages)
            {
                // Routed before it is written (its RoutedAt is a column); unrouted while the directory is not loaded yet.
                var routed = directory.Enabled is { } destinations ? Route(message, destinations, now) : [];
                message.Id = await inserter.InsertReturningKeyAsync(message, cancellationToken);
                routed.ForEach(d => d.MessageId = message.Id);
                deliveries.AddRange(routed);
            }
        }
        await Bulk.InsertAllAsync(db, transaction, deliveries, cancellationToken);
    }

    /// <summary>Routes a message: a pending delivery for every destination that takes it; the message is routed now.</summary>
    internal static List<OutboxDelivery> Route(OutboxMessage message, IEnumerable<Destination> destinations, DateTime now)
    {
        message.RoutedAt = now;
        return [.. destinations.Where(d => d.Takes(message)).Select(d => new OutboxDelivery
        {
            DestinationId = d.Id, Message = message, MessageId = message.Id, OrderKey = message.OrderKey, Status = DeliveryStatus.Pending, NextAttemptAt = now,
        })];
    }

    protected override void Merge(Pending into, Pending from) => into.Count += from.Count;

    protected override void Committed(Pending pending) => signal.Notify();

    /// <summary>The record's type, customer and API view (without external ids: they have their own events later), or null for what is not published.</summary>
    private static (string RecordType, Guid CustomerId, object View)? Describe(object entity) => entity switch
    {
        Customer c => ("customer", c.Id, new CustomerView(c.Id, c.Kind, c.DisplayName, c.Tier, c.Lifecycle, c.Tags, c.Region, c.PreferredLanguage,
            c.OwnerAgentId, c.OwnerTeam, c.CompanyId, [.. c.ContactPoints.Select(p => ContactPointProfile.ToViewOf(p, []))], [], c.Version, c.CreatedAt, c.UpdatedAt)),
        ContactPoint p => ("contact_point", p.CustomerId, ContactPointProfile.ToViewOf(p, [])),
        Order o => ("order", o.CustomerId, Orders.ToView(o, [])),
        Ticket t => ("ticket", t.CustomerId, Tickets.ToView(t, [])),
        Opportunity o => ("opportunity", o.CustomerId, Opportunities.ToView(o, [])),
        FollowUpTask t => ("task", t.CustomerId, Tasks.ToView(t, [])),
        Interaction i => ("interaction", i.CustomerId, Interactions.ToView(i, [])),
        _ => null,
    };
}

/// <summary>
/// Wakes the outbox's router and workers when there is something new: every waiter at once. Take <see cref="Next"/>
/// before looking for work and wait on it after finding none, so a notification in between is not lost; waiters also
/// poll, so nothing depends on a notification arriving.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns when <paramref name="next"/> completes or after <paramref name="poll"/>, whichever is first.</summary>
    public static async Task WaitAsync(Task next, TimeSpan poll, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(poll, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The poll interval passed.
        }
    }
}
