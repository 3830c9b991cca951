using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Switchboard.Core.Persistence;

/// <summary>
/// One queue in the process for SQLite's single write lock, taken before they begin by the writers that commit often:
/// the call journal (every ring waits for its commit), the audit trail's group commit, and held bulk transactions (a
/// sync's page, an import's batch). Meeting in SQLite instead means its busy handler, which sleeps 1, 2, 5, 10 … ms
/// between tries, so a ring's journal commit behind a trail batch went on waiting whole milliseconds after the lock was
/// free; here the next writer is woken the moment the last one commits. Other writers (the API's EF saves) still meet
/// in SQLite, and so do other processes (a CLI import beside the server); PostgreSQL needs no gate. Take it after the
/// audit chain, never before (<see cref="Audit.AuditLog.HoldChainAsync"/>), so the two cannot wait for each other.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Begins a write transaction on <paramref name="db"/>'s open connection, in turn. On SQLite it first sets whether the
    /// commit is flushed to disk (<c>synchronous</c> FULL or NORMAL: a pooled connection keeps what its last user set, so
    /// every writer here says which it needs), then waits for the gate. Dispose the transaction, then the pass.
    /// </summary>
    public async Task<(Pass Pass, IDbContextTransaction Transaction)> BeginAsync(DbContext db, bool flush, CancellationToken cancellationToken)
    {
        if (StoreKind.IsSqlite(db))
        {
            await db.Database.ExecuteSqlRawAsync(flush ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;", cancellationToken);
        }
        var pass = await EnterAsync(db, cancellationToken);
        try
        {
            return (pass, await db.Database.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            pass.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the gate when <paramref name="db"/> is on SQLite (else passes at once); dispose the result to let the next writer in.</summary>
    public async ValueTask<Pass> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!StoreKind.IsSqlite(db))
        {
            return default;
        }
        await _gate.WaitAsync(cancellationToken);
        return new Pass(_gate);
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Held while writing; disposing it lets the next writer in (once).</summary>
    public struct Pass(SemaphoreSlim? gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}
