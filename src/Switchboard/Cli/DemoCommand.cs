using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Demo;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;
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
                await scope.ServiceProvider.GetRequiredService<DemoSpeech>().SeedAsync(cancellationToken);
                var key = await DemoUsersAsync(scope.ServiceProvider.GetRequiredService<IdentityStore>(), cancellationToken);
                await PrintTryItAsync(scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>(), parse.GetValue(urls)!, key, output, cancellationToken);
            }
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>The demo's sign-ins: one user per role, all with the password <see cref="DemoPassword"/> (a demo only).</summary>
    public static readonly (string Name, Role Role)[] DemoUsers =
    [
        ("agent-001", Role.Agent), ("agent-002", Role.Agent), ("senior-001", Role.SeniorAgent), ("sales-001", Role.Sales),
        ("supervisor", Role.Supervisor), ("manager", Role.Manager), ("auditor", Role.Auditor), ("admin", Role.Admin),
    ];

    public const string DemoPassword = "switchboard-demo";

    /// <summary>Adds the demo's users (once) and a fresh admin API key for trying the API; returns the key.</summary>
    private static async Task<string> DemoUsersAsync(IdentityStore identities, CancellationToken cancellationToken)
    {
        foreach (var (name, role) in DemoUsers)
        {
            await identities.AddUserAsync(name, role, DemoPassword, cancellationToken); // exists already on later runs: fine
        }
        return (await identities.CreateApiKeyAsync("demo-curl", Role.Admin, TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(1), cancellationToken)).Value.Key;
    }

    private static async Task PrintTryItAsync(SwitchboardDbContext db, string urls, string key, TextWriter output, CancellationToken cancellationToken)
    {
        var baseUrl = urls.Split(';')[0].TrimEnd('/');
        var sample = await db.ContactPoints.AsNoTracking()
            .Where(p => p.Kind == ContactKind.Mobile && p.E164 != null).OrderBy(p => p.Id).Select(p => p.Raw).FirstOrDefaultAsync(cancellationToken);
        await output.WriteLineAsync($"Switchboard demo at {baseUrl}  (API reference: {baseUrl}/docs)");
        await output.WriteLineAsync($"Sign in with password '{DemoPassword}' as: {string.Join(", ", DemoUsers.Select(u => $"{u.Name} ({u.Role})"))}.");
        await output.WriteLineAsync($"Agent desktop: {baseUrl}/desktop/ (agent-001); supervisor: {baseUrl}/supervisor/; planning: {baseUrl}/planning/. Simulated calls ring at open desktops every few seconds.");
        if (sample is not null)
        {
            await output.WriteLineAsync($"Try (an admin key valid for a day): curl -H 'Authorization: Bearer {key}' '{baseUrl}/api/v1/customers?phone={Uri.EscapeDataString(sample)}'");
        }
    }
}
