using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Core.Audit;
using Switchboard.Core.Mapping;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard import</c>: historical records from CSV or JSON Lines through a mapping spec (docs/mapping.md).</summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var mapping = new Option<FileInfo>("--mapping") { Description = "The mapping spec (.json, .yaml or .yml).", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The records: .csv (with a header row) or .jsonl (one JSON object per line).", Required = true };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file's extension)." };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var encoding = new Option<string?>("--encoding") { Description = "The file's encoding when it has no byte-order mark: utf-8 (default), gb18030, gbk, big5, utf-16." };
        var dataDir = HostCommandOptions.DataDir();
        var command = new Command("import", "Import customers from a CSV or JSON Lines file through a mapping spec: bad rows are quarantined with their reasons, "
            + "and importing the same file again changes nothing.") { mapping, file, format, encoding, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (specFile, dataFile) = (parse.GetValue(mapping)!, parse.GetValue(file)!);
            if (!specFile.Exists || !dataFile.Exists)
            {
                await error.WriteLineAsync($"error: {(specFile.Exists ? dataFile : specFile).FullName} does not exist.");
                return 2;
            }
            if (specFile.Length > SpecReader.MaxBytes)
            {
                await error.WriteLineAsync($"error: the mapping spec is larger than {SpecReader.MaxBytes / 1024} KB.");
                return 1;
            }
            var kind = parse.GetValue(format) ?? (dataFile.Extension.ToLowerInvariant() switch { ".jsonl" or ".ndjson" => "jsonl", ".csv" or ".txt" => "csv", _ => null });
            if (kind is null)
            {
                await error.WriteLineAsync("error: say --format csv or --format jsonl (the file's extension does not).");
                return 2;
            }
            System.Text.Encoding? text = null;
            if (parse.GetValue(encoding) is { } name && (text = ImportFiles.EncodingOf(name)) is null)
            {
                await error.WriteLineAsync($"error: --encoding {name} is not an encoding this machine knows (utf-8, gb18030, gbk, big5, utf-16).");
                return 2;
            }
            var spec = MappingSpec.Read(await File.ReadAllTextAsync(specFile.FullName, cancellationToken), yaml: specFile.Extension is ".yaml" or ".yml");
            if (!spec.IsSuccess)
            {
                await error.WriteLineAsync($"error: the mapping spec {specFile.Name} is not valid:");
                foreach (var (field, reasons) in spec.Error!.Fields ?? new Dictionary<string, string[]>())
                {
                    foreach (var reason in reasons)
                    {
                        await error.WriteLineAsync($"  {field}: {reason}");
                    }
                }
                return 1;
            }
            using var host = OfflineHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!));
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var importer = scope.ServiceProvider.GetRequiredService<Importer>();
            using var actor = AuditContext.Begin(new AuditActor("import:" + spec.Value.Name, "integration", AuditChannel.Cli));
            await using var stream = File.OpenRead(dataFile.FullName);
            var rows = kind == "csv" ? ImportFiles.ReadCsvAsync(stream, text, cancellationToken) : ImportFiles.ReadJsonLinesAsync(stream, text, cancellationToken);
            var summary = await WithProgressAsync(stream, dataFile.Name, progress => importer.ImportAsync(spec.Value, spec.Value.Name, dataFile.Name, rows, progress, cancellationToken));
            var superseded = summary.Superseded > 0 ? string.Create(CultureInfo.InvariantCulture, $", {summary.Superseded:N0} superseded by a later row with the same id") : "";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Imported {summary.Read:N0} rows in {summary.Elapsed.TotalSeconds:0.0} s ({summary.Read / Math.Max(summary.Elapsed.TotalSeconds, 0.001):N0}/s): {summary.Created:N0} created, {summary.Updated:N0} updated, {summary.Unchanged:N0} unchanged, {summary.Quarantined:N0} quarantined{superseded}."));
            if (summary.IndexesRebuilt)
            {
                await output.WriteLineAsync("The store had no customers: their secondary indexes were suspended for the load and built again at its end.");
            }
            if (summary.Quarantined > 0)
            {
                await output.WriteLineAsync("Quarantined rows and their reasons are in the store's ImportQuarantine table (by line).");
            }
            return 0;
        });
        return command;
    }

    /// <summary>A progress bar by bytes read on a terminal; plain when output is redirected.</summary>
    private static async Task<ImportSummary> WithProgressAsync(Stream stream, string name, Func<IProgress<long>?, Task<ImportSummary>> import)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await import(null);
        }
        ImportSummary? summary = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Importing {Markup.Escape(name)}", maxValue: Math.Max(1, stream.Length));
                summary = await import(new Progress<long>(_ => task.Value = stream.Position));
                task.Value = task.MaxValue;
            });
        return summary!;
    }
}
