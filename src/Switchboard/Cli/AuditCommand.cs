using System.CommandLine;
using System.Text.Json;
using Switchboard.Core.Audit;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard audit verify | checkpoint</c>: check the chain; write a checkpoint outside the database.</summary>
internal static class AuditCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var checkpoints = new Option<FileInfo?>("--checkpoints") { Description = "Checkpoints kept outside the database (JSON lines), to catch truncation." };
        var dataDir = HostCommandOptions.DataDir();
        var verify = new Command("verify", "Check every entry's MAC and number; name the first bad entry. Exit code 1 when the chain is broken.") { checkpoints, dataDir };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<AuditCheckpoint>? points = null;
            if (parse.GetValue(checkpoints) is { } file)
            {
                if (!file.Exists)
                {
                    await error.WriteLineAsync($"error: --checkpoints {file.FullName} does not exist.");
                    return 2;
                }
                try
                {
                    points = await AuditLog.ReadCheckpointsAsync(file.FullName, cancellationToken);
                }
                catch (JsonException e)
                {
                    await error.WriteLineAsync($"error: --checkpoints {file.FullName} is not JSON lines of checkpoints ({e.Message}).");
                    return 2;
                }
            }
            using var host = OfflineHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!));
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var result = await scope.ServiceProvider.GetRequiredService<AuditQuery>().VerifyAsync(points, cancellationToken);
            if (result.Intact)
            {
                await output.WriteLineAsync($"The audit chain is intact: {result.Entries:N0} {(result.Entries == 1 ? "entry" : "entries")}{(points is null ? "" : $", {points.Count} checkpoints")}.");
                return 0;
            }
            await output.WriteLineAsync($"The audit chain is broken at entry {result.FirstBad}: {result.Reason}. Entries 1–{result.Entries} are intact.");
            return 1;
        });

        var outFile = new Option<FileInfo>("--out") { Description = "File to append the checkpoint to (keep it off the database's machine).", Required = true };
        var checkpoint = new Command("checkpoint", "Append the chain's last entry number and MAC to a file outside the database.") { outFile, dataDir };
        checkpoint.SetAction(async (parse, cancellationToken) =>
        {
            using var host = OfflineHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!));
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var point = await scope.ServiceProvider.GetRequiredService<AuditQuery>().CheckpointAsync(cancellationToken);
            if (point is null)
            {
                await error.WriteLineAsync("error: the audit trail is empty; there is nothing to checkpoint.");
                return 2;
            }
            await File.AppendAllTextAsync(parse.GetValue(outFile)!.FullName, AuditLog.CheckpointLine(point) + "\n", cancellationToken);
            await output.WriteLineAsync($"Checkpoint at entry {point.Sequence:N0} appended to {parse.GetValue(outFile)!.FullName}.");
            return 0;
        });
        return new Command("audit", "The tamper-evident audit trail.") { verify, checkpoint };
    }
}
