using BenchmarkDotNet.Running;
using Switchboard.Benchmarks;

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- [BenchmarkDotNet args]   micro-benchmarks
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- load URL RATE SECONDS    open-loop HTTP load, latency percentiles
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- route BASEURL RATE SECONDS [phones.txt [holdMs]]  routed calls through the API; with holdMs, answered and held, double offers counted
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- decisions N              N single routing decisions timed one by one (percentiles)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- audit-appends C SECONDS   durable audit appends by C concurrent appenders, and the bare-insert floor
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- outbox BACKLOG RATE SECONDS  outbox to a local webhook: backlog throughput, then lag at RATE/s
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- sync BACKLOG RATE SECONDS [--Setting=value…]   sync from a local Salesforce-shaped CRM: catch-up of BACKLOG, then lag at RATE changes/s
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- dedup CUSTOMERS SEED      de-duplication's precision and recall on a generated set with known duplicates
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- speech-rules N            1,000 speech rules over N segments per language, each timed (percentiles, chars/s, floor)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- import-file N PATH       a Salesforce-shaped CSV of N accounts for `switchboard import`
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- import-floor PATH SPEC   read and map a file without writing (the import's floor)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- floor URLS               bare Kestrel answering a fixed body (the floor)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- ws-floor N RATE SECONDS  bare WebSocket echo, N connections (the pop floor)
return args switch
{
    ["load", var url, var rate, var seconds, .. var rest] => await LoadGenerator.RunAsync(url, int.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), rest),
    ["route", var baseUrl, var rate, var seconds, .. var rest] => await LoadGenerator.RouteAsync(baseUrl, Int(rate), Int(seconds), rest),
    ["decisions", var operations] => DecisionLatency.Run(Int(operations)),
    ["audit-appends", var concurrency, var seconds] => await AuditAppends.RunAsync(Int(concurrency), Int(seconds)),
    ["outbox", var backlog, var rate, var seconds] => await OutboxDelivery.RunAsync(Int(backlog), Int(rate), Int(seconds)),
    ["sync", var backlog, var rate, var seconds, .. var extra] => await SyncPull.RunAsync(Int(backlog), Int(rate), Int(seconds), extra),
    ["dedup", var customers, var seed] => DedupQualityRun.Run(Int(customers), Int(seed)),
    ["speech-rules", var segments] => SpeechRuleWorkload.Run(Int(segments)),
    ["import-file", var rows, var path] => await ImportFile.WriteAsync(Int(rows), path),
    ["import-floor", var path, var spec] => await ImportFile.FloorAsync(path, spec),
    ["floor", var urls] => await BareKestrel.RunAsync(urls),
    ["ws-floor", var connections, var rate, var seconds] => await WebSocketEchoFloor.RunAsync(Int(connections), Int(rate), Int(seconds)),
    _ => Run(args),
};

static int Int(string value) => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadGenerator).Assembly).Run(args);
    return 0;
}
