using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Switchboard.Core.Audit;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Benchmarks;

/// <summary>
/// Durable audit appends through the real log (goal ≥ 100,000 entries/s with group commit): a fresh SQLite store,
/// <c>concurrency</c> appenders each awaiting its entry's commit in a loop for <c>seconds</c>; then the floor, the
/// same rows inserted by a bare prepared statement in transactions of the same size with synchronous=FULL, no MAC.
/// </summary>
internal static class AuditAppends
{
    private const string Detail = """{"changes":{"DisplayName":{"before":"王芳","after":"王芳 (VIP)"},"Tier":{"before":"standard","after":"vip"}}}""";

    public static async Task<int> RunAsync(int concurrency, int seconds)
    {
        var dir = Directory.CreateTempSubdirectory("switchboard-audit-bench-").FullName;
        using var host = OfflineHost.Build([$"--Storage:DataDirectory={dir}"]);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var log = host.Services.GetRequiredService<AuditLog>();
        var record = new AuditRecord("agent-007", "agent", AuditChannel.Rest, AuditAction.Update, "customer", Switchboard.Core.Common.Ids.New(TimeProvider.System).ToString(), Switchboard.Core.Common.Ids.New(TimeProvider.System), "twilio/CA0123456789", Detail);
        await log.AppendAsync(record, CancellationToken.None); // the writer starts, the key is made

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var start = Stopwatch.GetTimestamp();
        var before = log.Appended;
        var batchesBefore = log.Batches;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await log.AppendAsync(record, CancellationToken.None);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var appended = log.Appended - before;
        Console.WriteLine($"Audit log: {appended:N0} durable entries in {elapsed:F1} s with {concurrency} concurrent appenders = {appended / elapsed:N0} entries/s " +
            $"({(log.Batches - batchesBefore):N0} transactions, {appended / (double)Math.Max(1, log.Batches - batchesBefore):F0} entries each)");
        var verified = await host.Services.CreateScope().ServiceProvider.GetRequiredService<AuditQuery>().VerifyAsync(null, CancellationToken.None);
        Console.WriteLine($"Chain verified: {verified.Entries:N0} entries, intact: {verified.Intact}");

        // The floor: bare inserts of the same rows, same transaction size, no chain.
        var rows = Math.Min(appended, 2_000_000);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "floor.db")}");
        await connection.OpenAsync();
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (s INTEGER PRIMARY KEY, at TEXT, actor TEXT, role TEXT, channel TEXT, action TEXT, type TEXT, id TEXT, customer TEXT, call TEXT, detail TEXT, mac TEXT);";
            await setup.ExecuteNonQueryAsync();
        }
        start = Stopwatch.GetTimestamp();
        for (long n = 0; n < rows;)
        {
            await using var transaction = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t VALUES ($s, $at, 'agent-007', 'agent', 'Rest', 'Update', 'customer', $id, $id, 'twilio/CA0123456789', $detail, $mac)";
            var s = insert.Parameters.Add("$s", SqliteType.Integer);
            insert.Parameters.AddWithValue("$at", "2026-11-25T09:00:00.0000000Z");
            insert.Parameters.AddWithValue("$id", record.RecordId);
            insert.Parameters.AddWithValue("$detail", Detail);
            insert.Parameters.AddWithValue("$mac", new string('a', 64));
            for (var i = 0; i < AuditLog.MaxBatch && n < rows; i++, n++)
            {
                s.Value = n;
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine($"Floor: {rows:N0} bare inserts in transactions of {AuditLog.MaxBatch:N0} (synchronous=FULL) in {elapsed:F1} s = {rows / elapsed:N0} rows/s");
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
        return 0;
    }
}
