using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchboard.Core.Persistence;

/// <summary>
/// A prepared statement of a transaction's bulk writes (<see cref="BulkInserter{T}"/>, <see cref="RowWriter"/>), its
/// values set by position. On SQLite it is a <see cref="SqliteStatement"/> on the connection's own handle (ADR 0022);
/// elsewhere the provider's prepared command.
/// </summary>
internal sealed class PreparedStatement : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly SqliteStatement? _sqlite;

    private PreparedStatement(DbCommand command, SqliteStatement? sqlite) => (_command, _sqlite) = (command, sqlite);

    /// <summary>
    /// Prepares <paramref name="sql"/> in <paramref name="transaction"/>; <paramref name="parameters"/> makes its
    /// parameters, in the order of their first place in the text, with the types and sizes the values are bound as.
    /// </summary>
    public static async Task<PreparedStatement> PrepareAsync(DbTransaction transaction, string sql, Func<DbCommand, DbParameter[]> parameters,
        CancellationToken cancellationToken)
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction is over.");
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddRange(parameters(command));
        if (connection is SqliteConnection sqlite)
        {
            return new PreparedStatement(command, new SqliteStatement(sqlite, sql, [.. command.Parameters.Cast<SqliteParameter>()]));
        }
        await command.PrepareAsync(cancellationToken);
        return new PreparedStatement(command, null);
    }

    /// <summary>Sets the value of the parameter at <paramref name="index"/> (from 0), as the provider takes it (<see cref="DBNull"/> for null).</summary>
    public void Set(int index, object value)
    {
        if (_sqlite is not null)
        {
            _sqlite.Bind(index, value);
        }
        else
        {
            _command.Parameters[index].Value = value;
        }
    }

    /// <summary>Runs the statement with the values set; the rows it changed.</summary>
    public async ValueTask<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_sqlite is null)
        {
            return await _command.ExecuteNonQueryAsync(cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return _sqlite.Execute();
    }

    /// <summary>Runs the statement with the values set; the first column of its first row as a number (a key it returned).</summary>
    public async ValueTask<long> ExecuteInt64Async(CancellationToken cancellationToken)
    {
        if (_sqlite is null)
        {
            return Convert.ToInt64(await _command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return _sqlite.ExecuteInt64();
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        await _command.DisposeAsync();
    }
}

/// <summary>
/// A statement prepared on a SQLite connection's own handle and bound by position (ADR 0022). Microsoft.Data.Sqlite
/// binds every parameter by name on every execution — the name made UTF-8 and looked up in the statement, every text
/// value copied to a new array — which cost a sync's page more than SQLite's own work on its rows. Values are bound
/// exactly as Microsoft.Data.Sqlite binds them (its SqliteValueBinder: a date, a GUID, a decimal as the same text; the
/// parameter's SQLite type and size as EF's type mapping set them), so that what is written here reads back as what it
/// writes; the tests compare the two binding by binding. The statement runs in whatever transaction the connection has.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly (SqliteType Type, int Size)[] _parameters;
    private byte[] _buffer = new byte[512];

    /// <param name="connection">An open connection.</param>
    /// <param name="sql">One statement; its parameters are numbered in the order of their first place in it.</param>
    /// <param name="parameters">Its parameters in that order: their names are checked against the statement's, and their SQLite types and sizes are kept.</param>
    public SqliteStatement(SqliteConnection connection, string sql, IReadOnlyList<SqliteParameter> parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var result = raw.sqlite3_prepare_v2(_db, sql, out _statement, out var tail);
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
        if (!string.IsNullOrWhiteSpace(tail))
        {
            _statement.Dispose();
            throw new InvalidOperationException("A prepared statement is one statement.");
        }
        var count = raw.sqlite3_bind_parameter_count(_statement);
        if (count != parameters.Count)
        {
            _statement.Dispose();
            throw new InvalidOperationException($"The statement has {count} parameters, not {parameters.Count}.");
        }
        _parameters = new (SqliteType, int)[count];
        for (var i = 0; i < count; i++)
        {
            var name = raw.sqlite3_bind_parameter_name(_statement, i + 1).utf8_to_string();
            if (name != parameters[i].ParameterName)
            {
                _statement.Dispose();
                throw new InvalidOperationException($"The statement's parameter {i + 1} is {name}, not {parameters[i].ParameterName}.");
            }
            // Read before a value is set: an explicit type as set, otherwise Text (which binds as no type at all does).
            _parameters[i] = (parameters[i].SqliteType, parameters[i].Size);
        }
    }

    /// <summary>Binds <paramref name="value"/> (null or <see cref="DBNull"/> for NULL) to the parameter at <paramref name="index"/> (from 0).</summary>
    public void Bind(int index, object? value)
    {
        var (type, size) = _parameters[index];
        var position = index + 1;
        switch (value)
        {
            case null or DBNull:
                Check(raw.sqlite3_bind_null(_statement, position));
                break;
            case string text:
                BindText(position, text, size);
                break;
            case bool flag:
                Check(raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0));
                break;
            case int or long or short or sbyte or byte or uint or ushort or ulong:
                Check(raw.sqlite3_bind_int64(_statement, position, unchecked(value is ulong u ? (long)u : Convert.ToInt64(value, CultureInfo.InvariantCulture))));
                break;
            case double or float:
                var real = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                Check(double.IsNaN(real) ? throw new InvalidOperationException("Cannot store 'NaN' values.") : raw.sqlite3_bind_double(_statement, position, real));
                break;
            case DateTime time when type != SqliteType.Real:
                BindText(position, time.ToString(DateTimeFormat, CultureInfo.InvariantCulture), size);
                break;
            case DateTimeOffset time when type != SqliteType.Real:
                BindText(position, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture), size);
                break;
            case Guid guid when type != SqliteType.Blob:
                BindText(position, guid.ToString().ToUpperInvariant(), size);
                break;
            case Guid guid:
                BindBlob(position, guid.ToByteArray(), size);
                break;
            case decimal number:
                BindText(position, number.ToString("0.0###########################", CultureInfo.InvariantCulture), size);
                break;
            case byte[] blob:
                BindBlob(position, blob, size);
                break;
            case Enum:
                Bind(index, Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture));
                break;
            default:
                // Rarer types (a date or time as a Julian day, TimeSpan, DateOnly, TimeOnly, char) are not written by these statements.
                throw new InvalidOperationException($"A value of type {value.GetType().Name} is not bound by position.");
        }
    }

    /// <summary>Runs the statement to its end; the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }
            Check(result);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement to its end; the first column of its first row (a key it returned).</summary>
    public long ExecuteInt64()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result != raw.SQLITE_ROW)
            {
                Check(result);
                throw new InvalidOperationException("The statement returned no row.");
            }
            var value = raw.sqlite3_column_int64(_statement, 0);
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }
            Check(result);
            return value;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void BindText(int position, string text, int size)
    {
        if (size > 0 && text.Length > size)
        {
            text = text[..size]; // as Microsoft.Data.Sqlite truncates to the parameter's size
        }
        if (text.Length == 0)
        {
            Check(raw.sqlite3_bind_text(_statement, position, string.Empty)); // an empty span would bind NULL
            return;
        }
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length > _buffer.Length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }
        var written = Encoding.UTF8.GetBytes(text, _buffer);
        Check(raw.sqlite3_bind_text(_statement, position, _buffer.AsSpan(0, written))); // copied by SQLite (SQLITE_TRANSIENT)
    }

    private void BindBlob(int position, byte[] blob, int size)
    {
        var bytes = size > 0 && blob.Length > size ? blob.AsSpan(0, size) : blob;
        Check(bytes.Length == 0 ? raw.sqlite3_bind_zeroblob(_statement, position, 0) : raw.sqlite3_bind_blob(_statement, position, bytes));
    }

    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }
}
