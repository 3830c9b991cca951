using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Switchboard.Core.Persistence;

/// <summary>
/// Acts on what a save changed once the change is committed: right after a <c>SaveChanges</c> outside a transaction;
/// inside an explicit transaction, after its commit. Nothing at all for a save that fails, or for saves in a
/// transaction that rolls back, fails, or is dropped without a commit (what such a transaction left pending is
/// discarded when the context starts another transaction or saves outside one: pooled contexts are reused). A
/// derived class collects what it needs from the change tracker before each save (<see cref="Collect"/>) and is
/// given it after the commit. Every write through EF passes here; bulk inserts and <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> do not.
/// </summary>
/// <typeparam name="TPending">What is kept between the save and the commit.</typeparam>
internal abstract class CommittedChangesInterceptor<TPending> : ISaveChangesInterceptor, IDbTransactionInterceptor where TPending : class
{
    private readonly ConditionalWeakTable<DbContext, TPending> _saving = [];     // collected by the save under way
    private readonly ConditionalWeakTable<DbContext, TPending> _committing = [];  // saved in the open transaction

    /// <summary>Adds this save's changes to <paramref name="get"/>'s result (made on first need).</summary>
    protected abstract void Collect(DbContext context, Func<TPending> get);

    /// <summary>Adds a later save's changes (<paramref name="from"/>) to those already waiting for the same commit.</summary>
    protected abstract void Merge(TPending into, TPending from);

    /// <summary>
    /// A save inside a transaction succeeded: return true to take its changes over (they will not wait for the commit
    /// here). The audit trail does so for a transaction that holds its chain and writes its own entries.
    /// </summary>
    protected virtual bool TakeOver(DbContext context, TPending saved) => false;

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
        if (Saved(eventData.Context) is { } committed)
        {
            Committed(committed);
        }
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Saved(eventData.Context) is { } committed)
        {
            await CommittedAsync(committed, cancellationToken);
        }
        return result;
    }

    // A failed save changed nothing: what it collected is dropped (earlier saves of an open transaction still wait).
    public void SaveChangesFailed(DbContextErrorEventData eventData) => Drop(_saving, eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(_saving, eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Drop(_saving, eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(_saving, eventData.Context);
        return Task.CompletedTask;
    }

    // A new transaction starts clean: anything left from one that was dropped without a commit never happened.
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Drop(_committing, eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Drop(_committing, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Take(_committing, eventData.Context) is { } committed)
        {
            Committed(committed);
        }
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Take(_committing, eventData.Context) is { } committed)
        {
            await CommittedAsync(committed, cancellationToken);
        }
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(_committing, eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(_committing, eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Drop(_committing, eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(_committing, eventData.Context);
        return Task.CompletedTask;
    }

    private void Gather(DbContext? context)
    {
        if (context is not null)
        {
            Drop(_saving, context); // a save that neither completed nor failed (it threw early) left nothing to keep
            Collect(context, () => _saving.GetOrCreateValue(context));
        }
    }

    /// <summary>This save succeeded: outside a transaction it is committed; inside one it waits for the commit.</summary>
    private TPending? Saved(DbContext? context)
    {
        if (context is null || Take(_saving, context) is not { } saved)
        {
            return null;
        }
        if (context.Database.CurrentTransaction is null)
        {
            Drop(_committing, context); // left by a transaction dropped without a commit
            return saved;
        }
        if (TakeOver(context, saved))
        {
            return null;
        }
        if (_committing.TryGetValue(context, out var waiting))
        {
            Merge(waiting, saved);
        }
        else
        {
            _committing.Add(context, saved);
        }
        return null;
    }

    private static TPending? Take(ConditionalWeakTable<DbContext, TPending> table, DbContext? context)
    {
        if (context is null || !table.TryGetValue(context, out var pending))
        {
            return null;
        }
        table.Remove(context);
        return pending;
    }

    private static void Drop(ConditionalWeakTable<DbContext, TPending> table, DbContext? context)
    {
        if (context is not null)
        {
            table.Remove(context);
        }
    }
}
