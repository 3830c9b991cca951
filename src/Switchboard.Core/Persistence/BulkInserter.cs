using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Switchboard.Core.Persistence;

/// <summary>
/// Inserts many rows of one entity type with prepared multi-row INSERT statements, for seeding and imports
/// where EF's change tracker would cost more than the database. Columns, value conversions (enums as text,
/// tags as JSON or arrays, GUIDs) and parameter types all come from the EF model and the provider's type
/// mappings, so rows written here read back through EF exactly like rows EF wrote.
/// </summary>
internal sealed class BulkInserter<T> : IAsyncDisposable where T : class
{
    private const int MaxParametersPerStatement = 30_000; // below SQLite's 32,766 and PostgreSQL's 65,535
    private readonly DbTransaction _transaction;
    private readonly string _table;
    private readonly ModelColumn[] _columns;
    private readonly int _rowsPerStatement;
    private readonly List<T> _pending;
    private readonly bool _ignoreDuplicates;
    private readonly string? _identity;
    private PreparedStatement? _fullBatch;
    private PreparedStatement? _returning;

    /// <param name="db">The context whose model and connection are used.</param>
    /// <param name="transaction">The open transaction the rows are written in.</param>
    /// <param name="maxRowsPerStatement">
    /// Rows per INSERT; default 1 on SQLite (binding a parameter looks its name up linearly, so wide statements
    /// cost quadratically, while single-row prepared statements are cheap in-process) and 200 elsewhere (one
    /// network round trip per statement).
    /// </param>
    /// <param name="ignoreDuplicates">Append <c>ON CONFLICT DO NOTHING</c>: rows that break a unique key are skipped, not errors.</param>
    public BulkInserter(DbContext db, DbTransaction transaction, int? maxRowsPerStatement = null, bool ignoreDuplicates = false)
    {
        _ignoreDuplicates = ignoreDuplicates;
        var rowsPerStatement = maxRowsPerStatement ?? (StoreKind.IsSqlite(db) ? 1 : 200);
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        _transaction = transaction;
        _table = sql.DelimitIdentifier(table.Name, table.Schema);
        _columns = ModelColumn.Of(entityType, table, sql, p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd)); // a key the store numbers (an identity) is left to it
        _identity = entityType.FindPrimaryKey()!.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } identity] ? sql.DelimitIdentifier(identity.GetColumnName(table)!) : null;
        _rowsPerStatement = Math.Max(1, Math.Min(rowsPerStatement, MaxParametersPerStatement / _columns.Length));
        _pending = new List<T>(_rowsPerStatement);
    }

    /// <summary>Rows sent so far (with <c>ignoreDuplicates</c>, some may have been skipped).</summary>
    public long Count { get; private set; }

    public async Task AddAsync(T row, CancellationToken cancellationToken)
    {
        _pending.Add(row);
        if (_pending.Count == _rowsPerStatement)
        {
            _fullBatch ??= await PrepareAsync(_rowsPerStatement, cancellationToken);
            await ExecuteAsync(_fullBatch, cancellationToken);
        }
    }

    /// <summary>Writes the rows that do not fill a whole statement.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
        {
            await using var command = await PrepareAsync(_pending.Count, cancellationToken);
            await ExecuteAsync(command, cancellationToken);
        }
    }

    /// <summary>
    /// Inserts one row at once and returns the key the store numbered for it (<c>RETURNING</c>, in SQLite 3.35+ and
    /// PostgreSQL), for rows others refer to by that key (an outbox message's deliveries).
    /// </summary>
    public async Task<long> InsertReturningKeyAsync(T row, CancellationToken cancellationToken)
    {
        if (_identity is null || _pending.Count > 0)
        {
            throw new InvalidOperationException(_identity is null ? $"{typeof(T).Name}'s key is not numbered by the store." : "Rows are pending: flush them first.");
        }
        _returning ??= await PrepareAsync(1, cancellationToken, returning: true);
        _pending.Add(row);
        Bind(_returning);
        _pending.Clear();
        var key = await _returning.ExecuteInt64Async(cancellationToken);
        Count++;
        return key;
    }

    public async ValueTask DisposeAsync()
    {
        if (_fullBatch is not null)
        {
            await _fullBatch.DisposeAsync();
        }
        if (_returning is not null)
        {
            await _returning.DisposeAsync();
        }
    }

    private async Task ExecuteAsync(PreparedStatement statement, CancellationToken cancellationToken)
    {
        Bind(statement);
        await statement.ExecuteAsync(cancellationToken);
        Count += _pending.Count;
        _pending.Clear();
    }

    private void Bind(PreparedStatement statement)
    {
        var index = 0;
        foreach (var row in _pending)
        {
            foreach (var column in _columns)
            {
                statement.Set(index++, column.ValueOf(row));
            }
        }
    }

    private Task<PreparedStatement> PrepareAsync(int rows, CancellationToken cancellationToken, bool returning = false)
    {
        var names = new List<(ModelColumn Column, string Name)>(rows * _columns.Length);
        var text = new StringBuilder()
            .Append("INSERT INTO ").Append(_table).Append(" (")
            .AppendJoin(", ", _columns.Select(c => c.Name)).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{(r * _columns.Length) + c}");
                text.Append(c == 0 ? "" : ", ").Append(name);
                names.Add((_columns[c], name));
            }
            text.Append(')');
        }
        if (_ignoreDuplicates)
        {
            // The same clause in SQLite (3.24+) and PostgreSQL (9.5+).
            text.Append(" ON CONFLICT DO NOTHING");
        }
        if (returning)
        {
            text.Append(" RETURNING ").Append(_identity);
        }
        return PreparedStatement.PrepareAsync(_transaction, text.ToString(), command => [.. names.Select(n => n.Column.Parameter(command, n.Name))], cancellationToken);
    }
}

/// <summary>Bulk inserts in one call.</summary>
internal static class Bulk
{
    /// <summary>Inserts all of <paramref name="rows"/> in <paramref name="transaction"/> with a <see cref="BulkInserter{T}"/>.</summary>
    public static async Task InsertAllAsync<T>(DbContext db, DbTransaction transaction, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class
    {
        await using var inserter = new BulkInserter<T>(db, transaction);
        foreach (var row in rows)
        {
            await inserter.AddAsync(row, cancellationToken);
        }
        await inserter.FlushAsync(cancellationToken);
    }
}
