using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Persistence;
using Switchboard.Data;
using Switchboard.Data.Postgres;
using Switchboard.Data.Sqlite;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Data;

/// <summary>
/// The process's queue for SQLite's write lock (ADR 0020): one writer at a time on SQLite, woken in turn; no queue on
/// PostgreSQL. And the checkpoint behind a bulk commit (ADR 0021), watched in the WAL's index (the -shm file, whose
/// layout SQLite documents: the log's last page at byte 16, the last page copied into the database at byte 96).
/// </summary>
public sealed class SqliteWriteGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnSqlite_OneWriterAtATime_TheNextWokenWhenTheFirstLetsGo_AndASecondLetGoFreesNoOneElse()
    {
        using var gate = new SqliteWriteGate();
        using var db = new SqliteSwitchboardDbContext(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite("Data Source=:memory:").Options);
        var first = await gate.EnterAsync(db, Ct);
        var second = gate.EnterAsync(db, Ct).AsTask();
        var third = gate.EnterAsync(db, Ct).AsTask();
        Assert.False(second.IsCompleted);

        first.Dispose();
        var secondPass = await second.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        first.Dispose(); // let go twice: must not let a third writer in beside the second
        Assert.False(third.IsCompleted);

        secondPass.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Dispose();
    }

    [Fact]
    public async Task OnPostgres_EveryWriterPassesAtOnce()
    {
        using var gate = new SqliteWriteGate();
        using var db = new PostgresSwitchboardDbContext(new DbContextOptionsBuilder<PostgresSwitchboardDbContext>().UseNpgsql("Host=unused").Options);
        using var first = await gate.EnterAsync(db, Ct);
        var second = gate.EnterAsync(db, Ct);
        Assert.True(second.IsCompleted);
        (await second).Dispose();
    }

    [Fact]
    public async Task ABulkCommit_LeavesItsCheckpointToTheGate_WhichCopiesTheWholeLog_AndTheNextWriteStartsTheLogOver()
    {
        await using var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        using var gate = new SqliteWriteGate();
        await using var db = await WalStoreAsync(store);

        await WriteAsync(gate, db, rows: 2_000, checkpointBehind: true);
        var (log, copied) = WalIndex(store);
        Assert.True(log > 1_000, $"the log holds {log} pages"); // past SQLite's own threshold...
        Assert.Equal(0, copied); // ...and the commit did not checkpoint it
        gate.CheckpointBehind(db);
        Assert.Equal(1_000L, await ScalarAsync(db, "PRAGMA wal_autocheckpoint")); // the handle checkpoints for itself again

        await gate.CheckpointedAsync(Ct);
        (log, copied) = WalIndex(store);
        Assert.Equal(log, copied);

        await WriteAsync(gate, db, rows: 1, checkpointBehind: true);
        Assert.True(WalIndex(store).Log < 10, "the next write starts the log over");
        Assert.Equal(2_001L, await ScalarAsync(db, "SELECT count(*) FROM Filler"));
    }

    [Fact]
    public async Task AnyOtherCommit_CheckpointsItselfAsSqliteDoes()
    {
        await using var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        using var gate = new SqliteWriteGate();
        await using var db = await WalStoreAsync(store);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint = 0", Ct); // as a bulk writer may have left the pooled handle

        await WriteAsync(gate, db, rows: 2_000, checkpointBehind: false);
        var (log, copied) = WalIndex(store);
        Assert.True(log > 1_000, $"the log holds {log} pages");
        Assert.Equal(log, copied);
    }

    [Fact]
    public async Task WhatWasWrittenBesideTheCheckpoint_IsCopiedWithTheGateHeld_AndTheNextBulkWriterWaitsForIt()
    {
        await using var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        using var gate = new SqliteWriteGate();
        await using var db = await WalStoreAsync(store);
        await WriteAsync(gate, db, rows: 2_000, checkpointBehind: true);
        // A reader's snapshot keeps a later write out of the first, ungated pass (as a write made during it would be).
        await using var reader = await WalStoreAsync(store, create: false);
        await using var snapshot = ((Microsoft.Data.Sqlite.SqliteConnection)reader.Database.GetDbConnection()).BeginTransaction(deferred: true);
        Assert.Equal(2_000L, await ScalarAsync(reader, "SELECT count(*) FROM Filler"));
        await WriteAsync(db, 1);
        var pass = await gate.EnterAsync(db, Ct); // a writer of ours holds the gate

        gate.CheckpointBehind(db);
        var next = gate.BeginAsync(db, flush: false, checkpointBehind: true, Ct);
        await Task.Delay(300, Ct);
        Assert.False(gate.CheckpointedAsync(Ct).IsCompleted); // the rest is copied with no writer of ours beside it...
        Assert.False(next.IsCompleted); // ...and the next bulk writer waits for that

        snapshot.Commit();
        pass.Dispose();
        var (nextPass, transaction) = await next.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var (log, copied) = WalIndex(store);
        Assert.True(log > 1_000, $"the log holds {log} pages");
        Assert.Equal(log, copied);
        await transaction.DisposeAsync();
        nextPass.Dispose();
    }

    [Fact]
    public async Task AFailedCheckpoint_IsLogged_AndTheNextBulkCommitCheckpointsItself()
    {
        await using var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        var logs = new CapturedLogs();
        using var gate = new SqliteWriteGate(new LoggerFactory([logs]).CreateLogger<SqliteWriteGate>());
        var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.ConnectionString).DataSource;
        await using var db = new SqliteSwitchboardDbContext(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>()
            .UseSqlite(store.ConnectionString + ";Mode=ReadWrite").Options); // opens, never creates
        File.WriteAllBytes(path, []);
        await db.Database.OpenConnectionAsync(Ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL; CREATE TABLE Filler (Id INTEGER PRIMARY KEY, Body BLOB NOT NULL);", Ct);
        await WriteAsync(gate, db, rows: 100, checkpointBehind: true);
        File.Delete(path); // this connection goes on with the file it has open; the checkpoint's own cannot open it

        gate.CheckpointBehind(db);
        await gate.CheckpointedAsync(Ct); // never fails
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("checkpoint behind a bulk commit failed", StringComparison.Ordinal));

        var (pass, transaction) = await gate.BeginAsync(db, flush: false, checkpointBehind: true, Ct);
        using (pass)
        {
            await using (transaction)
            {
                Assert.Equal(1_000L, await ScalarAsync(db, "PRAGMA wal_autocheckpoint")); // this commit checkpoints for itself
            }
        }
    }

    [Fact]
    public void OnPostgres_ThereIsNoCheckpointBehind()
    {
        using var gate = new SqliteWriteGate();
        using var postgres = new PostgresSwitchboardDbContext(new DbContextOptionsBuilder<PostgresSwitchboardDbContext>().UseNpgsql("Host=unused").Options);
        gate.CheckpointBehind(postgres); // nothing to do, and no connection made (there is no server)
        Assert.True(gate.CheckpointedAsync(Ct).IsCompleted);
    }

    private static async Task<SqliteSwitchboardDbContext> WalStoreAsync(TestStore store, bool create = true)
    {
        var db = new SqliteSwitchboardDbContext(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite(store.ConnectionString).Options);
        await db.Database.OpenConnectionAsync(Ct);
        if (create)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL; CREATE TABLE Filler (Id INTEGER PRIMARY KEY, Body BLOB NOT NULL);", Ct);
        }
        return db;
    }

    private static async Task WriteAsync(SqliteWriteGate gate, DbContext db, int rows, bool checkpointBehind)
    {
        var (pass, transaction) = await gate.BeginAsync(db, flush: false, checkpointBehind, Ct);
        using (pass)
        {
            await using (transaction)
            {
                await WriteAsync(db, rows);
                await transaction.CommitAsync(Ct);
            }
        }
    }

    private static async Task<long> ScalarAsync(DbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static Task<int> WriteAsync(DbContext db, int rows) =>
        db.Database.ExecuteSqlAsync($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO Filler (Body) SELECT randomblob(3000) FROM n", Ct);

    /// <summary>The log's last page (mxFrame) and the last page copied into the database (nBackfill), from the WAL index.</summary>
    private static (int Log, int Copied) WalIndex(TestStore store)
    {
        var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.ConnectionString).DataSource + "-shm";
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[100];
        file.ReadExactly(header);
        return (BitConverter.ToInt32(header, 16), BitConverter.ToInt32(header, 96));
    }
}
