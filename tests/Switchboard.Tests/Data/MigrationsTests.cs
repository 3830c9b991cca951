using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;
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

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AnIndexABulkLoadLeftMissing_IsBuiltAgainByTheNextMigration(StorageProvider provider)
    {
        // A seed or a first import drops secondary indexes and rebuilds them at its end; a crash in between must not
        // leave the caller look-up without its index for good.
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var __ = store;
        using var ___ = app;
        var ct = TestContext.Current.CancellationToken;
        var listing = provider == StorageProvider.Sqlite
            ? "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index'"
            : "SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema()";
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_ContactPoints_ReversedDigits\"", ct));
        Assert.DoesNotContain("IX_ContactPoints_ReversedDigits", await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(listing).ToListAsync(ct)));

        // Two at once (two nodes starting, a command beside the server): both find it missing, one builds it, neither fails.
        await using (var first = app.Services.CreateAsyncScope())
        await using (var second = app.Services.CreateAsyncScope())
        {
            var both = await Task.WhenAll(first.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct),
                second.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct));
            Assert.All(both, Assert.Empty);
        }
        Assert.Contains("IX_ContactPoints_ReversedDigits", await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(listing).ToListAsync(ct)));
    }
}
