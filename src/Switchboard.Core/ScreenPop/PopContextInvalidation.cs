using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;

namespace Switchboard.Core.ScreenPop;

/// <summary>
/// Tells <see cref="PopContextCache"/> which customers and numbers a save changed, once the change is committed:
/// after <c>SaveChanges</c>, or, inside an explicit transaction, after its commit (a context composed between the
/// save and the commit would read the old rows). Every write through EF passes here; the demo seeder's bulk insert
/// does not, and needs not (it fills an empty store before any call).
/// </summary>
internal sealed class PopContextInvalidation(PopContextCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Changed> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        FlushUnlessInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        FlushUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // A failed save changed nothing by itself; inside a transaction, what earlier saves changed waits for the commit.
    public void SaveChangesFailed(DbContextErrorEventData eventData) => FlushUnlessInTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        FlushUnlessInTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null || !cache.Enabled)
        {
            return;
        }
        // Only saves that touch what a pop shows leave anything pending (the call journal's saves, say, do not).
        Changed? pending = null;
        Changed Changed() => pending ??= _pending.GetOrCreateValue(context);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case Customer customer:
                    Changed().Customers.Add(customer.Id);
                    break;
                case CallerChoice choice:
                    Changed().Numbers.Add(choice.E164);
                    break;
            }
            if (entry.Entity is ICustomerOwned owned)
            {
                Changed().Customers.Add(owned.CustomerId);
                if (entry.State == EntityState.Modified && entry.Property(nameof(ICustomerOwned.CustomerId)).OriginalValue is Guid before)
                {
                    Changed().Customers.Add(before);
                }
            }
            if (entry.Entity is ContactPoint point)
            {
                AddNumber(Changed(), point.E164);
                if (entry.State == EntityState.Modified)
                {
                    AddNumber(Changed(), entry.Property(nameof(ContactPoint.E164)).OriginalValue as string);
                }
            }
        }
    }

    private static void AddNumber(Changed changed, string? e164)
    {
        if (e164 is not null)
        {
            changed.Numbers.Add(e164);
        }
    }

    private void FlushUnlessInTransaction(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Flush(context);
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var changed))
        {
            _pending.Remove(context);
            cache.Invalidate(changed.Customers, changed.Numbers);
        }
    }

    private void Discard(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private sealed class Changed
    {
        public HashSet<Guid> Customers { get; } = [];

        public HashSet<string> Numbers { get; } = new(StringComparer.Ordinal);
    }
}
