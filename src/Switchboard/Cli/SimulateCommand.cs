using System.CommandLine;
using Spectre.Console;
using Switchboard.Simulation;

namespace Switchboard.Cli;

/// <summary><c>switchboard simulate</c>: drive a running server with call traffic and measure pop latency.</summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var url = new Option<string>("--url") { Description = "The running server.", DefaultValueFactory = _ => "http://localhost:5080" };
        url.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && !(Uri.TryCreate(token.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                r.AddError($"--url '{token.Value}' is not an http(s) URL.");
            }
        });
        var rate = new Option<int>("--rate") { Description = "Calls offered per second.", DefaultValueFactory = _ => 50 };
        var duration = new Option<int>("--duration") { Description = "Seconds to offer calls for.", DefaultValueFactory = _ => 30 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of unmeasured calls at the same rate before measuring.", DefaultValueFactory = _ => 0 };
        var ringAfter = new Option<int>("--ring-after") { Description = "Milliseconds between a call being offered and ringing at an agent (time in the queue).", DefaultValueFactory = _ => 0 };
        var agents = new Option<int>("--agents") { Description = "Agent desktops to hold on /hubs/agent.", DefaultValueFactory = _ => 100 };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "An Admin or Integration API key (default: the SWITCHBOARD_API_KEY environment variable): it makes the source and acts for the agents.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SWITCHBOARD_API_KEY"),
        };
        foreach (var (option, min, max) in new[] { (rate, 1, 10_000), (duration, 1, 86_400), (agents, 1, 50_000), (warmup, 0, 3_600), (ringAfter, 0, 600_000) })
        {
            option.Validators.Add(r =>
            {
                if (r.Tokens is [var token] && int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && (value < min || value > max))
                {
                    r.AddError($"{option.Name} must be between {min} and {max:N0}.");
                }
            });
        }
        var command = new Command("simulate", "Offer calls to a running server as signed telephony events, hold agent desktops, and report event → pop latency, lost and duplicate pops.")
        {
            url, rate, duration, warmup, ringAfter, agents, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var simulator = new CallLoadSimulator(new Uri(parse.GetValue(url)!), parse.GetValue(apiKey), parse.GetValue(agents), parse.GetValue(rate),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(warmup)), TimeSpan.FromMilliseconds(parse.GetValue(ringAfter)), TimeProvider.System, output);
            try
            {
                SimulationReport report;
                if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
                {
                    SimulationReport? result = null;
                    await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                        .StartAsync(async context =>
                        {
                            var calls = context.AddTask("Calls offered", maxValue: parse.GetValue(rate) * parse.GetValue(duration));
                            var pops = context.AddTask("Pops received", maxValue: parse.GetValue(rate) * parse.GetValue(duration));
                            result = await simulator.RunAsync(new Progress<(int Calls, int Pops)>(p => { calls.Value = p.Calls; pops.Value = p.Pops; }), cancellationToken);
                        });
                    report = result!;
                }
                else
                {
                    report = await simulator.RunAsync(null, cancellationToken);
                }
                await output.WriteLineAsync(report.ToString());
                foreach (var window in report.Windows)
                {
                    await output.WriteLineAsync(window.ToString());
                }
                return report.Lost == 0 && report.Duplicates == 0 && report.FailedEvents == 0 ? 0 : 1;
            }
            catch (HttpRequestException e)
            {
                await error.WriteLineAsync($"error: cannot drive {parse.GetValue(url)}: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
