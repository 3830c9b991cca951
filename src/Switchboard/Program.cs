using Switchboard.Cli;
using Switchboard.Hosting;

// `switchboard <verb>`: one executable for the web host and the operator's verbs (docs/adr/0001).
// WebApplicationFactory starts the entry point with host arguments only ("--applicationName=...");
// it gets the web host directly, exactly as `switchboard serve` builds it.
return HostArguments.AreFromTestHost(args)
    ? await RunHostAsync(args)
    : await SwitchboardCli.Create(Console.Out, Console.Error).Parse(args).InvokeAsync();

static async Task<int> RunHostAsync(string[] args)
{
    await ServerHost.Build(args).RunAsync();
    return 0;
}

/// <summary>The entry point type, public for WebApplicationFactory.</summary>
public partial class Program;
