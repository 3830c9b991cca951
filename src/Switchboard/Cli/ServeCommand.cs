using System.CommandLine;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard serve</c>: run the server.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = HostCommandOptions.Urls();
        var dataDir = HostCommandOptions.DataDir();
        var command = new Command("serve", "Run the Switchboard server (migrates the store first).") { urls, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await ServerHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!, parse.GetValue(urls))).RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
