using Microsoft.Extensions.Options;
using Switchboard.Data;

namespace Switchboard.Hosting;

/// <summary>Applies pending migrations before the server takes requests, when <c>Storage:MigrateOnStart</c> is true.</summary>
internal sealed partial class StartupMigration(IServiceScopeFactory scopes, IOptions<StorageOptions> storage, ILogger<StartupMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.MigrateOnStart)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        Log.Migrated(logger, storage.Value.Provider, applied.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Store {Provider} is ready; {Count} migrations applied")]
        public static partial void Migrated(ILogger logger, StorageProvider provider, int count);
    }
}
