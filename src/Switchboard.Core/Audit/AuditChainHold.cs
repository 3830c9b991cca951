using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Core.Audit;

/// <summary>
/// The audit chain, held for one transaction of the caller's (<see cref="AuditLog.HoldChainAsync"/>): append its entries
/// in the transaction, commit it, then say so with <see cref="CommittedAsync"/>; dispose the hold in any case. Without
/// <see cref="CommittedAsync"/> (a rollback, an exception) the chain's tail is read from the store again next time.
/// </summary>
public sealed class AuditChainHold : IAsyncDisposable
{
    private readonly AuditLog _log;
    private readonly DbContext _db;
    private (long Sequence, string? Mac, DateTime At)? _appended;
    private bool _committed;
    private bool _released;

    internal AuditChainHold(AuditLog log, DbContext db) => (_log, _db) = (log, db);

    /// <summary>Numbers, chains and inserts the entries in <paramref name="transaction"/> (nothing when auditing is off). Once per hold.</summary>
    public async Task AppendAsync(DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        if (_appended is not null)
        {
            throw new InvalidOperationException("A hold appends once; take another hold for another transaction.");
        }
        if (!_log.Enabled || records.Count == 0)
        {
            return;
        }
        _appended = await _log.InsertChainedAsync(_db, transaction, records, cancellationToken);
    }

    /// <summary>The transaction is committed: the chain's tail moves past the entries.</summary>
    public async Task CommittedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        _committed = true;
        if (_appended is { } appended)
        {
            await _log.AdvanceAsync(appended.Sequence, appended.Mac, appended.At, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_released)
        {
            _released = true;
            if (_appended is not null && !_committed)
            {
                _log.ForgetTail();
            }
            _log.Release();
        }
        return ValueTask.CompletedTask;
    }
}
