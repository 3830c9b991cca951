using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Core.Persistence;
using Switchboard.Data.Postgres;
using Switchboard.Data.Sqlite;

namespace Switchboard.Data;

/// <summary>Chooses the store from <see cref="StorageOptions"/> (docs/adr/0002). The one place a provider is picked.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SwitchboardDbContext"/> as the configured provider's context, pooled.</summary>
    public static IServiceCollection AddSwitchboardPersistence(this IServiceCollection services)
    {
        services.AddDbContextPool<SqliteSwitchboardDbContext>((sp, options) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            options.UseSqlite(SqliteConnectionString(storage))
                .AddInterceptors(new SqliteConnectionSetup(storage.BusyTimeoutSeconds))
                .AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddDbContextPool<PostgresSwitchboardDbContext>((sp, options) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            options.UseNpgsql(storage.ConnectionString
                ?? throw new InvalidOperationException("Storage:Provider is Postgres but ConnectionStrings:Switchboard is empty."))
                .AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.TryAddScoped<SwitchboardDbContext>(sp =>
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
            {
                StorageProvider.Sqlite => sp.GetRequiredService<SqliteSwitchboardDbContext>(),
                StorageProvider.Postgres => sp.GetRequiredService<PostgresSwitchboardDbContext>(),
                var other => throw new InvalidOperationException($"Unknown Storage:Provider '{other}'."),
            });
        services.TryAddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>The SQLite connection string: the configured one, or a file in the data directory (created if missing).</summary>
    internal static string SqliteConnectionString(StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return storage.ConnectionString;
        }
        var directory = Path.GetFullPath(storage.DataDirectory);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "switchboard.db"),
            DefaultTimeout = Math.Max(storage.BusyTimeoutSeconds, 30),
        }.ToString();
    }
}
