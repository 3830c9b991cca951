using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Switchboard.Data.Postgres;
using Switchboard.Data.Sqlite;

namespace Switchboard.Data;

// Used by `dotnet ef migrations add` only; no database is opened. See docs/adr/0002.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSwitchboardDbContext>
{
    public SqliteSwitchboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSwitchboardDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSwitchboardDbContext>
{
    public PostgresSwitchboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSwitchboardDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
