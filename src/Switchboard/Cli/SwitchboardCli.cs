using System.CommandLine;

namespace Switchboard.Cli;

/// <summary>The command line: one <c>*Command</c> class per verb, each a thin shell over Core (STYLE H23).</summary>
internal static class SwitchboardCli
{
    public static RootCommand Create(TextWriter output, TextWriter error, TextReader? input = null)
    {
        var root = new RootCommand("Switchboard joins a call center's telephony with its CRM: screen pops, routing by CRM facts, after-call work.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create(output));
        root.Subcommands.Add(SeedCommand.Create(output, error));
        root.Subcommands.Add(ImportCommand.Create(output, error));
        root.Subcommands.Add(MigrateCommand.Create(output, error));
        root.Subcommands.Add(TelephonyCommand.Create(output, error));
        root.Subcommands.Add(SimulateCommand.Create(output, error));
        root.Subcommands.Add(ForecastCommand.Create(output, error));
        root.Subcommands.Add(AuditCommand.Create(output, error));
        root.Subcommands.Add(IdentityCommands.Users(input ?? Console.In, output, error));
        root.Subcommands.Add(IdentityCommands.ApiKeys(output, error));
        return root;
    }
}
