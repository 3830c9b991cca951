using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Core.Demo;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard seed</c>: fill an empty store with a deterministic synthetic CRM.</summary>
internal static class SeedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var customers = new Option<long>("--customers") { Description = "How many customers to create.", Required = true };
        customers.Validators.Add(r =>
        {
            // A token that is not a number is reported by the parser itself; this checks the range of one that is.
            if (r.Tokens is [var token] && long.TryParse(token.Value, CultureInfo.InvariantCulture, out var count) && count is < 1 or > 50_000_000)
            {
                r.AddError("--customers must be between 1 and 50,000,000.");
            }
        });
        var locale = new Option<string>("--locale") { Description = "zh-CN (Chinese names, +86 numbers) or en (US).", DefaultValueFactory = _ => "zh-CN" };
        locale.AcceptOnlyFromAmong("zh-CN", "en");
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and --as-of give the same data.", DefaultValueFactory = _ => 42 };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "The day the history ends (yyyy-MM-dd); default today (UTC)." };
        var duplicates = new Option<double?>("--duplicates")
        {
            Description = "Instead of the demo CRM: customers with known duplicates for de-duplication, this share of them (0.01–0.5) with one or two more records "
                + "written another way (docs/dedup.md).",
        };
        duplicates.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && double.TryParse(token.Value, CultureInfo.InvariantCulture, out var share) && share is < 0.01 or > 0.5)
            {
                r.AddError("--duplicates must be between 0.01 and 0.5.");
            }
        });
        var truth = new Option<FileInfo?>("--truth") { Description = "With --duplicates: where to write each customer's cluster (CSV: customerId,cluster)." };
        var dataDir = HostCommandOptions.DataDir();
        var command = new Command("seed", "Create demo data: customers, contact points, orders, tickets, opportunities, tasks and history.")
        {
            customers, locale, seed, asOf, duplicates, truth, dataDir,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(truth) is not null && r.GetValue(duplicates) is null)
            {
                r.AddError("--truth goes with --duplicates.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = OfflineHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!));
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
            if (!await seeder.IsEmptyAsync(cancellationToken))
            {
                await error.WriteLineAsync("error: the store already holds customers; seed an empty store (choose another --data-dir or database).");
                return 2;
            }
            if (parse.GetValue(duplicates) is { } share)
            {
                if (parse.GetValue(customers) > 1_000_000)
                {
                    await error.WriteLineAsync("error: --duplicates makes at most 1,000,000 customers (the set is built in memory).");
                    return 2;
                }
                var set = Core.Dedup.DuplicateDataset.Generate((int)parse.GetValue(customers), share, parse.GetValue(seed));
                await using var writer = parse.GetValue(truth) is { } file ? new StreamWriter(file.FullName) : null;
                var (written, pairs) = await scope.ServiceProvider.GetRequiredService<Core.Dedup.DuplicateSeeder>().SeedAsync(set, writer, cancellationToken);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Seeded {written:N0} customer records of {parse.GetValue(customers):N0} customers, {pairs:N0} true duplicate pairs."));
                return 0;
            }
            var day = parse.GetValue(asOf);
            var request = new SeedRequest(parse.GetValue(customers), parse.GetValue(locale)!, parse.GetValue(seed),
                day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
            var summary = await SeedWithProgressAsync(seeder, request, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Seeded {summary.Customers:N0} customers ({summary.Rows:N0} rows) in {summary.Elapsed.TotalSeconds:0.0} s."));
            return 0;
        });
        return command;
    }

    /// <summary>Seeds with a progress bar on a terminal, and plainly when output is redirected (CI, pipes).</summary>
    internal static async Task<SeedSummary> SeedWithProgressAsync(DemoSeeder seeder, SeedRequest request, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await seeder.SeedAsync(request, null, cancellationToken);
        }
        SeedSummary? summary = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Seeding customers", maxValue: request.Customers);
                summary = await seeder.SeedAsync(request, new Progress<long>(done => task.Value = done), cancellationToken);
                task.Value = request.Customers;
            });
        return summary!;
    }
}
