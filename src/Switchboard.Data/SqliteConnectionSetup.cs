using System.Data.Common;
using Microsoft.Data.Sqlite;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Switchboard.Data;

/// <summary>
/// Per-connection SQLite settings: NORMAL sync is durable under WAL for everything but power loss, and the busy
/// timeout makes writers queue instead of failing. WAL itself is a property of the file and is set once by the
/// migrator. The settings live on the native handle, which the pool keeps open across <c>Open</c>/<c>Close</c>, so
/// they are applied once per handle rather than on every open (EF opens a connection for each query it runs).
/// </summary>
internal sealed class SqliteConnectionSetup(int busyTimeoutSeconds) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {busyTimeoutSeconds * 1000}; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private readonly ConditionalWeakTable<sqlite3, object> _configured = [];

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite && !_configured.TryGetValue(handle, out _))
        {
            using var command = sqlite.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            _configured.AddOrUpdate(handle, handle);
        }
    }
}
