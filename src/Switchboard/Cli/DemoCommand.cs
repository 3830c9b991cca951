using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Demo;
using Switchboard.Core.Persistence;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard demo</c>: seed the store when it is empty, then serve.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output)
    {
        var urls = HostCommandOptions.Urls();
        var dataDir = HostCommandOptions.DataDir();
        var customers = new Option<long>("--customers") { Description = "Customers to seed into an empty store.", DefaultValueFactory = _ => 5_000 };
        var command = new Command("demo", "Seed demo data into an empty store (SQLite by default), then serve, with simulated calls ringing at open agent desktops.") { urls, dataDir, customers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = ServerHost.Build([.. HostCommandOptions.HostArgs(parse.GetValue(dataDir)!, parse.GetValue(urls)), "--Demo:SimulateCalls=true"]);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
                if (await seeder.IsEmptyAsync(cancellationToken))
                {
                    var summary = await SeedCommand.SeedWithProgressAsync(seeder, new SeedRequest(parse.GetValue(customers)), cancellationToken);
                    await output.WriteLineAsync($"Seeded {summary.Customers} demo customers.");
                }
                await PrintTryItAsync(scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>(), parse.GetValue(urls)!, output, cancellationToken);
            }
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task PrintTryItAsync(SwitchboardDbContext db, string urls, TextWriter output, CancellationToken cancellationToken)
    {
        var baseUrl = urls.Split(';')[0].TrimEnd('/');
        var sample = await db.ContactPoints.AsNoTracking()
            .Where(p => p.Kind == ContactKind.Mobile && p.E164 != null).OrderBy(p => p.Id).Select(p => p.Raw).FirstOrDefaultAsync(cancellationToken);
        await output.WriteLineAsync($"Switchboard demo at {baseUrl}  (API reference: {baseUrl}/docs)");
        await output.WriteLineAsync($"Agent desktop: {baseUrl}/desktop/ - sign in with any agent id; simulated calls ring there every few seconds.");
        if (sample is not null)
        {
            await output.WriteLineAsync($"Try: curl '{baseUrl}/api/v1/customers?phone={Uri.EscapeDataString(sample)}'");
        }
    }
}
