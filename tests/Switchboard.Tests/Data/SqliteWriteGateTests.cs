using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Persistence;
using Switchboard.Data.Postgres;
using Switchboard.Data.Sqlite;

namespace Switchboard.Tests.Data;

/// <summary>The process's queue for SQLite's write lock (ADR 0020): one writer at a time on SQLite, woken in turn; no queue on PostgreSQL.</summary>
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
}
