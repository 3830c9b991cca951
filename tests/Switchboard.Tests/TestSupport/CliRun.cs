using System.CommandLine;
using Switchboard.Cli;

namespace Switchboard.Tests.TestSupport;

/// <summary>Runs the <c>switchboard</c> command line in process, capturing its output, error and exit code.</summary>
public static class CliRun
{
    public static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public static async Task<(int Code, string Output, string Error)> RunWithInputAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SwitchboardCli.Create(output, error, new StringReader(input)).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
