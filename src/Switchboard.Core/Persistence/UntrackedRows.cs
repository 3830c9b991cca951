using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Switchboard.Core.Persistence;

/// <summary>One row's change found by <see cref="UntrackedRows{T}"/>: each changed property (by its model name) before and after.</summary>
internal sealed record RowChange<T>(T Row, ulong Columns, Dictionary<string, (object? Before, object? After)> Values) where T : class;

/// <summary>
/// Rows of one entity type read without EF's change tracker and written back with prepared statements, for bulk work
/// (a sync's page) where the tracker's bookkeeping per entity costs more than the writes (ADR 0019). Each row's values
/// are kept when it is read and compared when it is written, with the model's value comparers as EF's own change
/// detection does; only changed columns are updated, guarded by the concurrency token's value as read, so a row
/// someone else changed meanwhile fails the write with a <see cref="DbUpdateConcurrencyException"/>, as with EF.
/// Columns, conversions and parameter types come from the model (as in <see cref="BulkInserter{T}"/>), so what is
/// written here reads back through EF exactly like what EF wrote. No interceptor sees these writes: the caller audits
/// and publishes them (<see cref="Customers.UntrackedCustomers"/>).
/// </summary>
internal sealed class UntrackedRows<T> where T : class
{
    private readonly ModelColumn[] _columns;
    private readonly int _key;
    private readonly int _token; // -1: the type has no concurrency token
    private readonly string _table;
    private readonly Dictionary<object, (T Row, object?[] Before)> _read = [];
    private readonly Dictionary<ulong, string> _updates = [];
    private string? _delete;

    public UntrackedRows(DbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        _table = sql.DelimitIdentifier(table.Name, table.Schema);
        _columns = ModelColumn.Of(entityType, table, sql);
        if (_columns.Length > 64)
        {
            throw new InvalidOperationException($"{typeof(T).Name} has more than 64 columns.");
        }
        var key = entityType.FindPrimaryKey()!.Properties;
        _key = key.Count == 1 ? Array.FindIndex(_columns, c => c.Property == key[0]) : throw new InvalidOperationException($"{typeof(T).Name} has a composite key.");
        _token = Array.FindIndex(_columns, c => c.Property.IsConcurrencyToken);
    }

    /// <summary>Keeps a row's values as read (a row read again keeps its first values).</summary>
    public void Read(T row) => _read.TryAdd(KeyOf(row), (row, Snapshot(row)));

    /// <summary>Stops watching a row (it is written some other way: deleted through EF, say).</summary>
    public void Forget(T row) => _read.Remove(KeyOf(row));

    public bool IsRead(T row) => _read.ContainsKey(KeyOf(row));

    /// <summary>The values a row had when it was read, by property name.</summary>
    public Dictionary<string, (object? Before, object? After)> AsRead(T row)
    {
        var before = _read[KeyOf(row)].Before;
        return _columns.Select((c, i) => (c.Property.Name, Value: before[i])).ToDictionary(c => c.Name, c => (c.Value, (object?)null), StringComparer.Ordinal);
    }

    /// <summary>Every value of a row, as after (for a row made: its audit entry has no before).</summary>
    public Dictionary<string, (object? Before, object? After)> Made(T row) =>
        _columns.ToDictionary(c => c.Property.Name, c => ((object?)null, c.Getter.GetClrValue(row)), StringComparer.Ordinal);

    /// <summary>The change of one read row, or null when none of its values differ from what was read.</summary>
    public RowChange<T>? ChangeOf(T row)
    {
        var before = _read[KeyOf(row)].Before;
        ulong changed = 0;
        Dictionary<string, (object? Before, object? After)>? values = null;
        for (var i = 0; i < _columns.Length; i++)
        {
            var now = _columns[i].Getter.GetClrValue(row);
            if (!_columns[i].Comparer.Equals(before[i], now))
            {
                changed |= 1UL << i;
                (values ??= new(StringComparer.Ordinal))[_columns[i].Property.Name] = (before[i], now);
            }
        }
        return values is null ? null : new RowChange<T>(row, changed, values);
    }

    /// <summary>Updates a changed row's changed columns where its key and concurrency token are as read; a row not there so is a concurrency failure.</summary>
    public async Task UpdateAsync(RowWriter writer, RowChange<T> change, CancellationToken cancellationToken)
    {
        if ((change.Columns & (1UL << _key)) != 0)
        {
            throw new InvalidOperationException($"A {typeof(T).Name}'s key cannot change.");
        }
        if (!_updates.TryGetValue(change.Columns, out var sql))
        {
            var set = Enumerable.Range(0, _columns.Length).Where(i => (change.Columns & (1UL << i)) != 0).ToList();
            var text = new StringBuilder("UPDATE ").Append(_table).Append(" SET ");
            text.AppendJoin(", ", set.Select((c, n) => string.Create(CultureInfo.InvariantCulture, $"{_columns[c].Name} = @p{n}")));
            Where(text, set.Count);
            _updates[change.Columns] = sql = text.ToString();
        }
        var before = _read[KeyOf(change.Row)].Before;
        var command = await writer.CommandAsync(sql, c =>
        {
            var parameters = Enumerable.Range(0, _columns.Length).Where(i => (change.Columns & (1UL << i)) != 0).Select(i => _columns[i]).ToList();
            return [.. parameters.Concat(Guard()).Select((column, n) => column.Parameter(c, string.Create(CultureInfo.InvariantCulture, $"@p{n}")))];
        }, cancellationToken);
        var index = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            if ((change.Columns & (1UL << i)) != 0)
            {
                command.Set(index++, _columns[i].ValueOf(change.Row));
            }
        }
        await ExecuteGuardedAsync(command, index, before, cancellationToken);
    }

    /// <summary>Deletes a read row where its key and concurrency token are as read.</summary>
    public async Task DeleteAsync(RowWriter writer, T row, CancellationToken cancellationToken)
    {
        if (_delete is null)
        {
            var text = new StringBuilder("DELETE FROM ").Append(_table);
            Where(text, 0);
            _delete = text.ToString();
        }
        var command = await writer.CommandAsync(_delete,
            c => [.. Guard().Select((column, n) => column.Parameter(c, string.Create(CultureInfo.InvariantCulture, $"@p{n}")))],
            cancellationToken);
        await ExecuteGuardedAsync(command, 0, _read[KeyOf(row)].Before, cancellationToken);
    }

    private async Task ExecuteGuardedAsync(PreparedStatement command, int first, object?[] before, CancellationToken cancellationToken)
    {
        command.Set(first, _columns[_key].ToProvider(before[_key]));
        if (_token >= 0)
        {
            command.Set(first + 1, _columns[_token].ToProvider(before[_token]));
        }
        if (await command.ExecuteAsync(cancellationToken) != 1)
        {
            throw new DbUpdateConcurrencyException($"A {typeof(T).Name} was changed or removed since it was read.");
        }
    }

    private void Where(StringBuilder text, int first)
    {
        text.Append(" WHERE ").Append(_columns[_key].Name).Append(string.Create(CultureInfo.InvariantCulture, $" = @p{first}"));
        if (_token >= 0)
        {
            text.Append(" AND ").Append(_columns[_token].Name).Append(string.Create(CultureInfo.InvariantCulture, $" = @p{first + 1}"));
        }
    }

    private IEnumerable<ModelColumn> Guard() => _token >= 0 ? [_columns[_key], _columns[_token]] : [_columns[_key]];

    private object KeyOf(T row) => _columns[_key].Getter.GetClrValue(row)!;

    private object?[] Snapshot(T row)
    {
        var values = new object?[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var value = _columns[i].Getter.GetClrValue(row);
            values[i] = value is null ? null : _columns[i].Comparer.Snapshot(value); // a list is copied, as EF's snapshot does
        }
        return values;
    }

}

/// <summary>Prepared statements of one transaction, one per statement text, reused for every row written with it.</summary>
internal sealed class RowWriter(DbTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, PreparedStatement> _commands = new(StringComparer.Ordinal);

    /// <summary>The prepared statement for <paramref name="sql"/>, made with the parameters <paramref name="parameters"/> gives on first use.</summary>
    public async ValueTask<PreparedStatement> CommandAsync(string sql, Func<DbCommand, DbParameter[]> parameters, CancellationToken cancellationToken)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }
        command = await PreparedStatement.PrepareAsync(transaction, sql, parameters, cancellationToken);
        _commands[sql] = command;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
        _commands.Clear();
    }
}
