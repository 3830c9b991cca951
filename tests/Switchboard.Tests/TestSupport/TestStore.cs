using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Data;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// A fresh, empty store for one test: a SQLite file in a temporary directory, or a new database on the
/// PostgreSQL server named by <c>SWITCHBOARD_TEST_POSTGRES</c> (scripts/test.sh starts one on loopback).
/// Without that variable, PostgreSQL cases are reported as skipped, never silently absent.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";

    private readonly string? _directory;
    private readonly string? _adminConnectionString;
    private readonly string? _database;

    private TestStore(StorageProvider provider, string connectionString, string? directory, string? adminConnectionString, string? database)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _directory = directory;
        _adminConnectionString = adminConnectionString;
        _database = database;
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The providers every store test runs on.</summary>
    public static TheoryData<StorageProvider> Providers => new(StorageProvider.Sqlite, StorageProvider.Postgres);

    public static async Task<TestStore> CreateAsync(StorageProvider provider)
    {
        if (provider == StorageProvider.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("switchboard-test-").FullName;
            var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "switchboard.db") }.ToString();
            return new TestStore(provider, connectionString, directory, null, null);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Skip($"PostgreSQL is not configured: set {PostgresVariable} (scripts/test.sh does).");
        }
        var database = "sb_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = database };
        return new TestStore(provider, builder.ToString(), null, admin, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a pooled connection; the temp directory is cleaned by the OS.
            }
        }
        if (_adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
