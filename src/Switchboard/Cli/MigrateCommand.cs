using System.CommandLine;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard migrate</c>: bring the configured store to the latest schema.</summary>
internal static class MigrateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dataDir = HostCommandOptions.DataDir();
        var command = new Command("migrate", "Apply pending migrations to the configured store (SQLite or PostgreSQL).") { dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = OfflineHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!));
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                var applied = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                await output.WriteLineAsync(applied.Count == 0 ? "The store is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
                return 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"error: could not migrate the store: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
