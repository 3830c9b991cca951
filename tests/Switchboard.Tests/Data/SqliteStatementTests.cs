using CsCheck;
using Microsoft.Data.Sqlite;
using Switchboard.Core.Persistence;

namespace Switchboard.Tests.Data;

/// <summary>
/// Statements bound by position on SQLite's own handle (<see cref="SqliteStatement"/>, ADR 0022) against
/// Microsoft.Data.Sqlite's binding by name as the oracle: any value of a type the bulk writers bind, with any SQLite type
/// and size a parameter may carry, is stored as the very same SQLite value (its type and <c>quote()</c>), so rows written
/// by position read back through EF like rows EF wrote.
/// </summary>
public sealed class SqliteStatementTests
{
    private enum Shade : short { Dark = -3, Light = 7 }

    private static readonly Gen<object> Values = Gen.OneOf<object>(
        Gen.Const<object>(DBNull.Value),
        Gen.String.Select(s => (object)s),
        Gen.String[Gen.Char["张伟客户公司ＡＢＣ　😀\0\n'\"abc"], 0, 30].Select(s => (object)s),
        Gen.Bool.Select(b => (object)b),
        Gen.Int.Select(i => (object)i),
        Gen.Long.Select(l => (object)l),
        Gen.Short.Select(s => (object)s),
        Gen.Byte.Select(b => (object)b),
        Gen.ULong.Select(u => (object)u),
        Gen.Double.Where(d => !double.IsNaN(d)).Select(d => (object)d),
        Gen.Float.Where(f => !float.IsNaN(f)).Select(f => (object)f),
        Gen.DateTime.Select(d => (object)d),
        Gen.DateTimeOffset.Select(d => (object)d),
        Gen.Guid.Select(g => (object)g),
        Gen.Decimal.Select(d => (object)d),
        Gen.Byte.Array[0, 40].Select(b => (object)b),
        Gen.OneOf<object>(Shade.Dark, Shade.Light));

    /// <summary>The SQLite type a parameter may have been given (null: none), as fits the value (a date as a Julian day is not bound by position).</summary>
    private static Gen<SqliteType?> TypesFor(object value) => value is DateTime or DateTimeOffset
        ? Gen.OneOf<SqliteType?>(null, SqliteType.Text)
        : Gen.OneOf<SqliteType?>(null, SqliteType.Text, SqliteType.Integer, SqliteType.Real, SqliteType.Blob);

    private static SqliteConnection InMemory(string createTable)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = createTable;
        create.ExecuteNonQuery();
        return connection;
    }

    [Fact]
    public void AnyValue_BoundByPosition_IsStoredAsMicrosoftDataSqliteStoresIt()
    {
        using var connection = InMemory("CREATE TABLE t (k INTEGER PRIMARY KEY, a, b)");
        var k = 0;
        Values.SelectMany(value => Gen.Select(TypesFor(value), Gen.OneOf(Gen.Const(-1), Gen.Int[1, 12]), Gen.Const(value)))
            .Sample((type, size, value) =>
            {
                k++;
                using var byName = connection.CreateCommand();
                byName.CommandText = "INSERT INTO t (k, a, b) VALUES (@k, @p0, @p0 || '')";
                byName.Parameters.Add(new SqliteParameter("@k", k));
                byName.Parameters.Add(Parameter(type, size, value));
                byName.ExecuteNonQuery();

                using var byPosition = new SqliteStatement(connection, "INSERT INTO t (k, a, b) VALUES (@k, @p0, @p0 || '')", [new SqliteParameter("@k", SqliteType.Integer), Parameter(type, size, null)]);
                byPosition.Bind(0, -k);
                byPosition.Bind(1, value);
                Assert.Equal(1, byPosition.Execute());

                using var read = connection.CreateCommand();
                read.CommandText = "SELECT typeof(a), quote(a), quote(b) FROM t WHERE k = @k";
                read.Parameters.AddWithValue("@k", k);
                var expected = Row(read);
                read.Parameters[0].Value = -k;
                Assert.Equal(expected, Row(read));
            }, iter: 3_000, threads: 1); // one connection: one sample at a time
    }

    [Fact]
    public void AStatementsParameters_MustBeTheStatementsOwn_InOrder()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var error = Assert.Throws<InvalidOperationException>(() =>
            new SqliteStatement(connection, "SELECT @p1, @p0", [new SqliteParameter("@p0", SqliteType.Text), new SqliteParameter("@p1", SqliteType.Text)]));
        Assert.Contains("@p1", error.Message);
        Assert.Throws<InvalidOperationException>(() => new SqliteStatement(connection, "SELECT @p0", []));
        Assert.Throws<InvalidOperationException>(() => new SqliteStatement(connection, "SELECT 1; SELECT 2", []));
        Assert.Throws<SqliteException>(() => new SqliteStatement(connection, "SELEKT 1", []));
    }

    [Fact]
    public void AConstraintBroken_FailsAsMicrosoftDataSqliteFails_AndTheStatementRunsAgain()
    {
        using var connection = InMemory("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        using var insert = new SqliteStatement(connection, "INSERT INTO t (k, v) VALUES (@p0, @p1) RETURNING k", [new SqliteParameter("@p0", SqliteType.Integer), new SqliteParameter("@p1", SqliteType.Text)]);
        insert.Bind(0, 1L);
        insert.Bind(1, "一");
        Assert.Equal(1, insert.ExecuteInt64());
        var error = Assert.Throws<SqliteException>(() => insert.Execute()); // the same key again
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        insert.Bind(0, 2L);
        insert.Bind(1, DBNull.Value);
        Assert.Equal(19, Assert.Throws<SqliteException>(() => insert.Execute()).SqliteErrorCode);
        insert.Bind(1, "二");
        Assert.Equal(2, insert.ExecuteInt64());
        Assert.Throws<InvalidOperationException>(() => insert.Bind(1, TimeSpan.Zero)); // a type these statements never bind
    }

    private static SqliteParameter Parameter(SqliteType? type, int size, object? value)
    {
        var parameter = new SqliteParameter { ParameterName = "@p0" };
        if (type is { } t)
        {
            parameter.SqliteType = t;
        }
        if (size > 0)
        {
            parameter.Size = size;
        }
        if (value is not null)
        {
            parameter.Value = value;
        }
        return parameter;
    }

    private static (string?, string?, string?) Row(SqliteCommand read)
    {
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
