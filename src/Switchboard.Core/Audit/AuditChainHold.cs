using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Core.Audit;

/// <summary>
/// The audit chain, held for one transaction of the caller's (<see cref="AuditLog.HoldChainAsync"/>): save through EF
/// (the entries of its audited changes are captured here, not appended after the commit), append the entries in the
/// transaction begun by <see cref="BeginTransactionAsync"/>, commit it with <see cref="CommitAsync"/> (or commit it and
/// say so with <see cref="CommittedAsync"/>); dispose the hold in any case. Without
/// <see cref="CommittedAsync"/> (a rollback, an exception) the captured entries are dropped with the transaction and
/// the chain's tail is read from the store again next time.
/// </summary>
public sealed class AuditChainHold : IAsyncDisposable
{
    private readonly AuditLog _log;
    private readonly DbContext _db;
    private readonly List<AuditRecord> _captured = [];
    private (long Sequence, string? Mac, DateTime At)? _appended;
    private bool _committed;
    private bool _released;
    private bool _opened;
    private bool _checkpointBehind;
    private Persistence.SqliteWriteGate.Pass _pass;

    internal AuditChainHold(AuditLog log, DbContext db) => (_log, _db) = (log, db);

    /// <summary>The flow that took the hold: an append it makes while holding would wait for itself.</summary>
    internal StrongBox<bool> Flow { get; } = new(false);

    /// <summary>True once the entries are appended: a later audited save could not be.</summary>
    internal bool Appended { get; private set; }

    internal bool Holds(DbContext db) => !_released && ReferenceEquals(db, _db);

    /// <summary>The entries of a successful save in the held transaction, appended first by <see cref="AppendAsync"/>.</summary>
    internal void Capture(IEnumerable<AuditRecord> records) => _captured.AddRange(records);

    /// <summary>
    /// Numbers, chains and inserts in <paramref name="transaction"/> the entries of the saves made so far, then
    /// <paramref name="records"/> (nothing when auditing is off). Once per hold.
    /// </summary>
    public async Task AppendAsync(DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        if (Appended)
        {
            throw new InvalidOperationException("A hold appends once; take another hold for another transaction.");
        }
        Appended = true;
        IReadOnlyList<AuditRecord> all = _captured.Count == 0 ? records : [.. _captured, .. records];
        if (!_log.Enabled || all.Count == 0)
        {
            return;
        }
        _appended = await _log.InsertChainedAsync(_db, transaction, all, cancellationToken);
    }

    /// <summary>
    /// Begins the held transaction, on a connection kept open until the hold is disposed. On SQLite it commits without
    /// a flush of its own (<c>synchronous = NORMAL</c>; the next flushed commit, the call journal's at every ring or the
    /// trail's group commit, makes it durable): what a power cut could take back is the whole transaction — a bulk
    /// writer's rows, its cursor or progress and their entries together — which its source gives again (ADR 0019).
    /// When the trail writes checkpoints outside the database, it is flushed, so that no checkpoint names an entry a
    /// power cut could take back.
    /// </summary>
    public async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        await _db.Database.OpenConnectionAsync(cancellationToken);
        _opened = true;
        // The pass is let go when the hold is disposed, after the transaction.
        // A bulk writer: its log pages are checkpointed behind its commit, on the other core, while it reads its next batch (ADR 0021).
        _checkpointBehind = true;
        (_pass, var transaction) = await _log.Gate.BeginAsync(_db, flush: _log.WritesCheckpoints, checkpointBehind: true, cancellationToken);
        return transaction;
    }

    /// <summary>Commits the held transaction, then moves the tail (<see cref="CommittedAsync"/>).</summary>
    public async Task CommitAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        await CommittedAsync(cancellationToken);
    }

    /// <summary>The transaction is committed: the chain's tail moves past the entries.</summary>
    public async Task CommittedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        if (!Appended && _captured.Count > 0)
        {
            throw new InvalidOperationException("The held transaction saved audited changes and was committed without appending their entries.");
        }
        _committed = true;
        if (_checkpointBehind)
        {
            _checkpointBehind = false;
            _log.Gate.CheckpointBehind(_db);
        }
        if (_appended is { } appended)
        {
            // Committed: the tail moves and the checkpoint is written whatever the caller's token says now.
            await _log.AdvanceAsync(appended.Sequence, appended.Mac, appended.At, CancellationToken.None);
        }
    }

    /// <summary>Releases the chain. Not async on purpose: the flow's "held here" mark is cleared in the caller's own context.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_released)
        {
            _released = true;
            if (Appended && !_committed)
            {
                _log.ForgetTail(); // rolled back, or the insert failed (a number another node took): read the tail again
            }
            _log.Release(this);
            if (_checkpointBehind)
            {
                try
                {
                    _log.Gate.CheckpointBehind(_db); // not committed: the handle gets SQLite's own checkpointing back all the same
                }
                catch (DbException)
                {
                    // The connection failed with the transaction: the pool drops a broken handle, and a writer sets it anew.
                }
            }
            if (_opened)
            {
                _db.Database.CloseConnection(); // back to the pool (the transaction is disposed before the hold)
            }
            _pass.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
