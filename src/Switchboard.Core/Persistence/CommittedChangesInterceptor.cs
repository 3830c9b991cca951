using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Switchboard.Core.Persistence;

/// <summary>
/// Acts on what a save changed once the change is committed: after <c>SaveChanges</c>, or, inside an explicit
/// transaction, after its commit (nothing at all if it rolls back). A derived class collects what it needs from the
/// change tracker before the save (<see cref="Collect"/>, into one <typeparamref name="TPending"/> per context) and
/// is given it after the commit. Every write through EF passes here; bulk inserts (seeding, the journal) do not.
/// </summary>
/// <typeparam name="TPending">What is kept between the save and the commit.</typeparam>
internal abstract class CommittedChangesInterceptor<TPending> : ISaveChangesInterceptor, IDbTransactionInterceptor where TPending : class
{
    private readonly ConditionalWeakTable<DbContext, TPending> _pending = [];

    /// <summary>Adds this save's changes to the context's pending changes (made on first need through <paramref name="get"/>).</summary>
    protected abstract void Collect(DbContext context, Func<TPending> get);

    /// <summary>The changes are committed (synchronous saves).</summary>
    protected abstract void Committed(TPending pending);

    /// <summary>The changes are committed (asynchronous saves): awaited before the save returns to its caller.</summary>
    protected virtual Task CommittedAsync(TPending pending, CancellationToken cancellationToken)
    {
        Committed(pending);
        return Task.CompletedTask;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Gather(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Gather(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context, inTransactionWaits: true) is { } pending)
        {
            Committed(pending);
        }
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context, inTransactionWaits: true) is { } pending)
        {
            await CommittedAsync(pending, cancellationToken);
        }
        return result;
    }

    // A failed save changed nothing by itself; inside a transaction, what earlier saves changed waits for the commit.
    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (Take(eventData.Context, inTransactionWaits: true) is { } pending)
        {
            Committed(pending);
        }
    }

    public async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context, inTransactionWaits: true) is { } pending)
        {
            await CommittedAsync(pending, cancellationToken);
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Take(eventData.Context, inTransactionWaits: false) is { } pending)
        {
            Committed(pending);
        }
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context, inTransactionWaits: false) is { } pending)
        {
            await CommittedAsync(pending, cancellationToken);
        }
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private void Gather(DbContext? context)
    {
        if (context is not null)
        {
            Collect(context, () => _pending.GetOrCreateValue(context));
        }
    }

    private TPending? Take(DbContext? context, bool inTransactionWaits)
    {
        if (context is null || (inTransactionWaits && context.Database.CurrentTransaction is not null) || !_pending.TryGetValue(context, out var pending))
        {
            return null;
        }
        _pending.Remove(context);
        return pending;
    }

    private void Discard(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }
}
