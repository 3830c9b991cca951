using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Core.Diagnostics;
using Switchboard.Core.Mapping;
using Switchboard.Core.Outbox;
using Switchboard.Core.Sync;
using Switchboard.Fakes;
using Switchboard.Hosting;
using Switchboard.Tests.TestSupport;
using Switchboard.Core.Common;

namespace Switchboard.Benchmarks;

/// <summary>
/// Incremental sync from a local Salesforce-shaped CRM (<see cref="FakeSalesforce"/>, in process, over loopback HTTP)
/// into the real server on SQLite, through the docs' sample mapping (goals: at 5,000 changed records/s for 60 s, lag
/// from the change in the CRM to the commit here p99 ≤ 100 ms; catch-up ≥ 50,000 records/s).
/// Catch-up: <c>backlog</c> accounts exist before the connection is made; the clock runs until the last is committed
/// (creates), then again after every one of them changed in the CRM (updates). Lag: changes are made in the CRM at
/// <c>rate</c> per second for <c>seconds</c> (open loop, a tick every 10 ms), each record's lag taken from the server's
/// own <c>switchboard.sync.lag</c> histogram. The floor: a bare client paging through the same records by the same
/// query, reading every field (what the CRM and the wire give without Switchboard); and the store's floor, what SQLite
/// alone does with the rows a change writes (<see cref="SyncStoreFloor"/>).
/// </summary>
internal static class SyncPull
{
    public static async Task<int> RunAsync(int backlog, int rate, int seconds, string[] extra)
    {
        var contacts = extra.Contains("--contacts");
        extra = [.. extra.Where(e => e != "--contacts")];
        var dir = Directory.CreateTempSubdirectory("switchboard-sync-bench-").FullName;
        var crm = new FakeSalesforce();
        var (crmApp, crmUrl) = await FakeSalesforce.StartAsync(crm);
        await using var _ = crmApp;
        var keys = new List<string>(backlog);
        for (var i = 0; i < backlog; i++)
        {
            keys.Add(crm.Put(Account(i, 0)));
        }
        var lags = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardTelemetry.MeterName && instrument.Name == "switchboard.sync.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, lag, _, _) =>
        {
            lock (lags)
            {
                lags.Add(lag);
            }
        });
        listener.Start();

        await using var server = ServerHost.Build([$"--Storage:DataDirectory={dir}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. extra]);
        await server.StartAsync();
        SyncConnectionView connection;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var spec = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "samples", "salesforce-accounts.yaml"));
            var saved = await scope.ServiceProvider.GetRequiredService<MappingService>().SaveAsync("salesforce-accounts", spec, yaml: true, CancellationToken.None);
            if (!saved.IsSuccess)
            {
                throw new InvalidOperationException(saved.Error!.Message);
            }
            // Catch-up: the backlog, as creates.
            var started = Stopwatch.GetTimestamp();
            connection = (await scope.ServiceProvider.GetRequiredService<SyncService>().CreateAsync(new SyncConnectionInput("bench", SyncVendor.Salesforce, "Account",
                "salesforce-accounts", crmUrl, null, ConnectorAuthScheme.Bearer, crm.Token, null, null, 2000, 20, 120, false, false), CancellationToken.None)).Value;
            await UntilAsync(server, h => h.Applied >= backlog);
            var created = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine($"Catch-up (creates): {backlog:N0} records in {created:F2} s = {backlog / created:N0} records/s");

            // Catch-up: every record changed in the CRM, as updates.
            started = Stopwatch.GetTimestamp();
            for (var i = 0; i < backlog; i++)
            {
                crm.Put(Account(i, 1), id: keys[i]);
            }
            Console.WriteLine($"  (changed {backlog:N0} records in the CRM in {Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s)");
            await UntilAsync(server, h => h.Cursor >= ModifiedAt(crm, keys[^1]));
            var updated = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine($"Catch-up (updates): {backlog:N0} records in {updated:F2} s = {backlog / updated:N0} records/s");
        }
        await Task.Delay(1_000); // the last page's lag is in; what follows is the steady rate's
        lock (lags)
        {
            lags.Clear();
        }

        // Lag at a steady rate of changes in the CRM.
        var random = new Random(7);
        var total = rate * seconds;
        var start = Stopwatch.GetTimestamp();
        var made = 0;
        while (made < total)
        {
            var due = (int)Math.Min(total, Stopwatch.GetElapsedTime(start).TotalSeconds * rate);
            for (; made < due; made++)
            {
                // A change to an account's own data (its name and tier); with --contacts it also takes another
                // account's mobile and email (every change then rewrites two contact points as well).
                var i = random.Next(backlog);
                crm.Put(Account(contacts ? random.Next(backlog) : i, made + 2), id: keys[i]);
            }
            await Task.Delay(10);
        }
        var generated = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var last = ModifiedAt(crm, crm.Put(Account(0, 3))); // the last change: the run is over when the cursor reaches it
        var health = await UntilAsync(server, h => h.Cursor >= last);
        List<double> sorted;
        lock (lags)
        {
            sorted = [.. lags.Order()];
        }
        Console.WriteLine($"Lag at {rate:N0} changes/s for {seconds} s ({total:N0} changes made in {generated:F1} s; {sorted.Count:N0} records committed): "
            + $"p50 {Percentiles.NearestRank(sorted, 0.50):F1} ms, p95 {Percentiles.NearestRank(sorted, 0.95):F1} ms, p99 {Percentiles.NearestRank(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms; "
            + $"passes applied {health.Applied - 2L * backlog:N0} record versions (changes to one record between two passes arrive as one)");
        await server.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // What SQLite alone does with the same rows on this store: in catch-up-sized and in steady-sized transactions.
        SyncStoreFloor.Run(Path.Combine(dir, "switchboard.db"), 100_000, 2_000, contacts);
        SyncStoreFloor.Run(Path.Combine(dir, "switchboard.db"), 20_000, 100, contacts);

        // The floor: the same query paged by a bare client.
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", crm.Token);
        client.DefaultRequestHeaders.Add("Sforce-Query-Options", "batchSize=2000");
        var floorStart = Stopwatch.GetTimestamp();
        var read = 0;
        var url = crmUrl + "/services/data/v60.0/queryAll?q=" + Uri.EscapeDataString(
            "SELECT Id, IsDeleted, SystemModstamp, Switchboard_Id__c, Name, Value_Tier__c, MobilePhone, Email__c, Tags__c, Stage__c, Language__c, BillingState FROM Account ORDER BY SystemModstamp, Id");
        while (url is not null)
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync(url));
            read += document.RootElement.GetProperty("records").GetArrayLength();
            url = document.RootElement.TryGetProperty("nextRecordsUrl", out var next) ? crmUrl + next.GetString() : null;
        }
        var floor = Stopwatch.GetElapsedTime(floorStart).TotalSeconds;
        Console.WriteLine($"Floor: {read:N0} records paged from the CRM by a bare client in {floor:F2} s = {read / floor:N0} records/s");
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static DateTime ModifiedAt(FakeSalesforce crm, string id) => DateTime.Parse(crm.Get(id)!["SystemModstamp"]!, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    private static Dictionary<string, string?> Account(int i, int version) => new()
    {
        ["Name"] = $"客户{i:000000} v{version}", ["Value_Tier__c"] = "ABC"[(i + version) % 3].ToString(), ["MobilePhone"] = $"+86138{i % 100_000_000:00000000}",
        ["Email__c"] = $"c{i}@example.com", ["Stage__c"] = "Customer", ["BillingState"] = "广东",
    };

    private static async Task<SyncHealthView> UntilAsync(WebApplication server, Func<SyncHealthView, bool> done)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 600;
        while (true)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var health = (await scope.ServiceProvider.GetRequiredService<SyncService>().GetAsync("bench", CancellationToken.None)).Value.Health;
            if (done(health))
            {
                return health;
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"the sync did not get there: applied {health.Applied:N0}, last error {health.LastError}");
            }
            await Task.Delay(25);
        }
    }

}
