using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Switchboard.Core.Persistence;

namespace Switchboard.Data.Sqlite;

/// <summary>The model on SQLite; owns the SQLite migrations (Sqlite/Migrations).</summary>
public sealed class SqliteSwitchboardDbContext(DbContextOptions<SqliteSwitchboardDbContext> options) : SwitchboardDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no time zone: every DateTime is written as UTC, so it is read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
