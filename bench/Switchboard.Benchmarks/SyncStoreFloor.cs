using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchboard.Benchmarks;

/// <summary>
/// What SQLite alone does with a steady sync's rows, on the store the sync just wrote (the sync benchmark's last step,
/// its server stopped): per changed record, the rows the sync writes for it — the customer and the link's state
/// updated, an audit entry and an outbox message inserted (each a copy of the store's own latest, with new keys); with
/// <c>contacts</c> (the benchmark's <c>--contacts</c>) also its mobile and its email contact point updated, with an entry
/// and a message each — for random customers, by bare prepared statements bound by position, nothing
/// read, mapped, serialised or hashed, in transactions of <c>page</c> records. Run once with SQLite's own checkpoints
/// (as before ADR 0021) and once without any (what the page's thread would pay if checkpoints cost it nothing).
/// </summary>
internal static class SyncStoreFloor
{
    private const string Time = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    public static void Run(string database, int records, int page, bool contacts)
    {
        foreach (var checkpoints in new[] { true, false })
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
            connection.Open();
            var db = connection.Handle!;
            Exec(db, "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = " + (checkpoints ? "1000" : "0"));
            var targets = new List<string[]>();
            Query(db, "SELECT c.Id, m.Id, e.Id, s.Id FROM Customers c JOIN ContactPoints m ON m.CustomerId = c.Id AND m.Kind = 'Mobile' "
                + "JOIN ContactPoints e ON e.CustomerId = c.Id AND e.Kind = 'Email' JOIN SyncStates s ON s.CustomerId = c.Id", row => targets.Add(row));
            string[] audit = [], customerMessage = [], pointMessage = [];
            Query(db, "SELECT Actor, Role, Channel, Action, RecordType, Detail, Mac FROM AuditLog WHERE RecordType = 'customer' ORDER BY Sequence DESC LIMIT 1", row => audit = row);
            Query(db, "SELECT Type, RecordType, Payload, Actor FROM OutboxMessages WHERE RecordType = 'customer' ORDER BY Id DESC LIMIT 1", row => customerMessage = row);
            Query(db, "SELECT Type, RecordType, Payload, Actor FROM OutboxMessages WHERE RecordType = 'contact_point' ORDER BY Id DESC LIMIT 1", row => pointMessage = row);
            var sequence = 0L;
            Query(db, "SELECT max(Sequence) FROM AuditLog", row => sequence = long.Parse(row[0], CultureInfo.InvariantCulture));
            if (targets.Count == 0 || audit.Length == 0 || customerMessage.Length == 0 || (contacts && pointMessage.Length == 0))
            {
                throw new InvalidOperationException("the store has no synced customers with a mobile and an email, or no audit entries and outbox messages to copy");
            }

            var customer = Prepare(db, "UPDATE Customers SET DisplayName = ?1, NameKey = ?2, Tier = ?3, UpdatedAt = ?4, Version = Version + 1 WHERE Id = ?5");
            var mobile = Prepare(db, "UPDATE ContactPoints SET Raw = ?1, E164 = ?1, ReversedDigits = ?2, UpdatedAt = ?3, Version = Version + 1 WHERE Id = ?4");
            var email = Prepare(db, "UPDATE ContactPoints SET Raw = ?1, Email = ?1, UpdatedAt = ?2, Version = Version + 1 WHERE Id = ?3");
            var state = Prepare(db, "UPDATE SyncStates SET SourceModifiedAt = ?1, Shadow = ?2 WHERE Id = ?3");
            var entry = Prepare(db, "INSERT INTO AuditLog (Sequence, At, Actor, Role, Channel, Action, RecordType, RecordId, CustomerId, CallId, Detail, Mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?11)");
            var message = Prepare(db, "INSERT INTO OutboxMessages (Type, RecordType, RecordId, OrderKey, CustomerId, Payload, OccurredAt, Actor, RoutedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7)");
            var random = new Random(11);
            var started = Stopwatch.GetTimestamp();
            Exec(db, "BEGIN IMMEDIATE");
            for (var i = 1; i <= records; i++)
            {
                var target = targets[random.Next(targets.Count)];
                var now = TimeProvider.System.GetUtcNow().UtcDateTime.ToString(Time, CultureInfo.InvariantCulture);
                var phone = "+86138" + random.Next(100_000_000).ToString("00000000", CultureInfo.InvariantCulture);
                var name = $"客户{random.Next(1_000_000):000000} v{i}";
                Step(db, customer, name, name.ToLowerInvariant(), "ABC"[i % 3].ToString(), now, target[0]);
                if (contacts)
                {
                    Step(db, mobile, phone, new string([.. phone.Where(char.IsAsciiDigit).Reverse()]), now, target[1]);
                    Step(db, email, $"c{i}@example.com", now, target[2]);
                }
                Step(db, state, now, "{\"displayName\":\"" + name + "\",\"tier\":\"A\",\"mobile\":\"" + phone + "\"}", target[3]);
                foreach (var record in contacts ? (string[])[target[0], target[1], target[2]] : [target[0]])
                {
                    Step(db, entry, (++sequence).ToString(CultureInfo.InvariantCulture), now, audit[0], audit[1], audit[2], audit[3], audit[4], record, target[0], audit[5], audit[6]);
                    var template = record == target[0] ? customerMessage : pointMessage;
                    Step(db, message, template[0], template[1], record, "customer:" + target[0], target[0], template[2], now, template[3]);
                }
                if (i % page == 0 || i == records)
                {
                    Exec(db, "COMMIT");
                    if (i < records)
                    {
                        Exec(db, "BEGIN IMMEDIATE");
                    }
                }
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            foreach (var statement in (sqlite3_stmt[])[customer, mobile, email, state, entry, message])
            {
                statement.Dispose();
            }
            Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
            Console.WriteLine($"Store floor ({(checkpoints ? "SQLite's own checkpoints" : "no checkpoints")}): {records:N0} changed records over {targets.Count:N0} customers, "
                + $"{page:N0} a transaction, in {seconds:F2} s = {records / seconds:N0} records/s ({(contacts ? 10 : 4)} statements a record)");
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            Check(db, raw.sqlite3_bind_text(statement, i + 1, values[i]));
        }
        var done = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (done != raw.SQLITE_DONE)
        {
            Check(db, done);
        }
        if (raw.sqlite3_changes(db) != 1)
        {
            throw new InvalidOperationException("a statement of the floor changed no row");
        }
    }

    private static void Exec(sqlite3 db, string sql) => Check(db, raw.sqlite3_exec(db, sql));

    private static void Query(sqlite3 db, string sql, Action<string[]> row)
    {
        using var statement = Prepare(db, sql);
        while (raw.sqlite3_step(statement) == raw.SQLITE_ROW)
        {
            row([.. Enumerable.Range(0, raw.sqlite3_column_count(statement)).Select(i => raw.sqlite3_column_text(statement, i).utf8_to_string())]);
        }
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new InvalidOperationException($"SQLite {result}: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }
}
