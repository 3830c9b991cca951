using System.CommandLine;
using Switchboard.Core.Telephony;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>switchboard telephony add-source</c>: configure a PBX or contact-center platform as a source of calls.</summary>
internal static class TelephonyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var name = new Option<string>("--name") { Description = "Unique source name, e.g. pbx-shanghai.", Required = true };
        var kind = new Option<TelephonySourceKind>("--kind") { Description = "ZammadCti, Generic, Twilio or Asterisk.", Required = true };
        var queue = new Option<string?>("--default-queue") { Description = "Queue for calls whose events name none." };
        var extensions = new Option<string[]>("--extension")
        {
            Description = "EXT=AGENT: the agent an extension or PBX user belongs to (repeatable).",
            AllowMultipleArgumentsPerToken = true,
        };
        var dataDir = HostCommandOptions.DataDir();
        var add = new Command("add-source", "Add a telephony source and print its token and signing secret (shown once).")
        {
            name, kind, queue, extensions, dataDir,
        };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(extensions) ?? [])
            {
                var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    await error.WriteLineAsync($"error: --extension '{pair}' is not EXT=AGENT.");
                    return 2;
                }
                map[parts[0]] = parts[1];
            }

            using var host = OfflineHost.Build(HostCommandOptions.HostArgs(parse.GetValue(dataDir)!));
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var result = await scope.ServiceProvider.GetRequiredService<TelephonySourceService>().CreateAsync(
                new TelephonySourceInput { Name = parse.GetValue(name), Kind = parse.GetValue(kind), DefaultQueue = parse.GetValue(queue), Extensions = map },
                cancellationToken);
            if (!result.IsSuccess)
            {
                var fields = result.Error.Fields is { } f ? " " + string.Join("; ", f.Select(x => $"{x.Key} {string.Join(" ", x.Value)}")) : "";
                await error.WriteLineAsync($"error: {result.Error.Message}{fields}");
                return 2;
            }
            var created = result.Value;
            await output.WriteLineAsync($"Source '{created.Source.Name}' ({created.Source.Kind}) added. Keep these; they are not shown again:");
            await output.WriteLineAsync($"  token:          {created.Token}");
            await output.WriteLineAsync($"  signing secret: {created.SigningSecret}");
            await output.WriteLineAsync(created.Source.Kind == TelephonySourceKind.ZammadCti
                ? $"  Zammad Generic CTI endpoint: POST /api/v1/cti/{created.Token}"
                : $"  Events: POST /api/v1/telephony/events with X-Switchboard-Source: {created.Source.Name}");
            return 0;
        });

        var telephony = new Command("telephony", "Telephony sources.") { add };
        return telephony;
    }
}
