using Microsoft.EntityFrameworkCore;
using Switchboard.Data.Postgres;
using Switchboard.Data.Sqlite;

namespace Switchboard.Tests.Data;

/// <summary>The model and the migrations of both providers never drift apart (docs/adr/0002).</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void Sqlite_HasAMigrationForEveryModelChange()
    {
        using var db = new SqliteSwitchboardDbContext(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: run scripts/add-migration.sh NAME.");
    }

    [Fact]
    public void Postgres_HasAMigrationForEveryModelChange()
    {
        using var db = new PostgresSwitchboardDbContext(new DbContextOptionsBuilder<PostgresSwitchboardDbContext>().UseNpgsql("Host=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: run scripts/add-migration.sh NAME.");
    }

    [Fact]
    public void BothProviders_HaveTheSameMigrations()
    {
        using var sqlite = new SqliteSwitchboardDbContext(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresSwitchboardDbContext(new DbContextOptionsBuilder<PostgresSwitchboardDbContext>().UseNpgsql("Host=unused").Options);
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[15..]);
        Assert.Equal(Names(sqlite), Names(postgres));
        Assert.NotEmpty(Names(sqlite));
    }
}
