using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;
using Switchboard.Hosting;
using Switchboard.Core.Common;

namespace Switchboard.Benchmarks;

/// <summary>
/// The outbox to a local webhook receiver on SQLite, through the real server's pump (goals: ≥ 5,000 events/s;
/// delivery lag p99 ≤ 100 ms at 1,000 events/s). Throughput: <c>backlog</c> changes are committed with no webhook,
/// then a webhook is made and replays them all; the clock runs until the last one arrives. Lag: changes are committed
/// at <c>rate</c> per second for <c>seconds</c> (open loop); each event's lag runs from its commit to its arrival.
/// The floor: the same receiver taking the same number of POSTs from a bare client, 16 at a time.
/// </summary>
internal static class OutboxDelivery
{
    public static async Task<int> RunAsync(int backlog, int rate, int seconds)
    {
        var dir = Directory.CreateTempSubdirectory("switchboard-outbox-bench-").FullName;
        var arrivals = new ConcurrentDictionary<string, long>();
        var records = new ConcurrentDictionary<string, long>();
        await using var receiver = await ReceiverAsync(arrivals, records);
        var receiverUrl = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        await using var server = ServerHost.Build([$"--Storage:DataDirectory={dir}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await server.StartAsync();
        var customers = new List<Guid>();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<CustomerService>();
            for (var i = 0; i < 200; i++)
            {
                customers.Add((await service.CreateAsync(new CustomerInput { DisplayName = $"客户 {i}" }, CancellationToken.None)).Value.Id);
            }
        }

        // Throughput: a backlog replayed to a new webhook.
        var started = Stopwatch.GetTimestamp();
        await CommitAsync(server, customers, backlog, rate: 0, commits: null);
        Console.WriteLine($"Committed a backlog of {backlog:N0} changes in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s (16 writers)");
        await Task.Delay(500); // routed to no one
        WebhookView webhook;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var webhooks = scope.ServiceProvider.GetRequiredService<DestinationService>();
            webhook = (await webhooks.CreateAsync(new WebhookInput("bench", receiverUrl, ["*"], null, null), CancellationToken.None)).Value;
            started = Stopwatch.GetTimestamp();
            await webhooks.ReplayAsync(DestinationKind.Webhook, webhook.Id, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
        }
        var expected = backlog + customers.Count;
        while (arrivals.Count < expected)
        {
            await Task.Delay(5);
        }
        var drain = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"Outbox throughput: {expected:N0} events delivered in {drain:F2} s = {expected / drain:N0} events/s (16 customers in flight)");

        // Lag at a steady rate.
        var commits = new ConcurrentDictionary<string, long>();
        arrivals.Clear();
        started = Stopwatch.GetTimestamp();
        await CommitAsync(server, customers, rate * seconds, rate, commits);
        Console.WriteLine($"Committed {commits.Count:N0} changes in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s ({commits.Count / Stopwatch.GetElapsedTime(started).TotalSeconds:N0}/s)");
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (commits.Keys.Any(k => !records.ContainsKey(k)) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5);
        }
        var lags = commits.Select(c => records.TryGetValue(c.Key, out var at) ? Stopwatch.GetElapsedTime(c.Value, at).TotalMilliseconds : double.NaN)
            .Where(l => !double.IsNaN(l)).Order().ToList();
        Console.WriteLine($"Lag at {rate:N0} changes/s for {seconds} s: {lags.Count:N0} of {commits.Count:N0} delivered; " +
            $"p50 {Percentiles.NearestRank(lags, 0.50):F1} ms, p95 {Percentiles.NearestRank(lags, 0.95):F1} ms, p99 {Percentiles.NearestRank(lags, 0.99):F1} ms, max {lags[^1]:F1} ms");
        await server.StopAsync();

        // The floor: the receiver alone.
        arrivals.Clear();
        using var client = new HttpClient();
        started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, expected), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, receiverUrl) { Content = new StringContent("""{"id":"x","data":{"subject":"发票"}}""") };
            request.Headers.Add("Idempotency-Key", "floor_" + i);
            (await client.SendAsync(request, ct)).Dispose();
        });
        var floor = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"Floor: {expected:N0} bare POSTs to the same receiver, 16 at a time, in {floor:F2} s = {expected / floor:N0} requests/s");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    /// <summary>
    /// Commits <paramref name="count"/> ticket changes spread over the customers, by sixteen writers at once (each change is
    /// its own transaction and waits for its audit entry, so one writer alone manages about 800 a second); at
    /// <paramref name="rate"/> per second in all (0: as fast as they go).
    /// </summary>
    private static async Task CommitAsync(WebApplication server, List<Guid> customers, int count, int rate, ConcurrentDictionary<string, long>? commits)
    {
        const int writers = 16;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var scope = server.Services.CreateAsyncScope();
            var tickets = scope.ServiceProvider.GetRequiredService<CustomerRecordService<Ticket, TicketInput, TicketView>>();
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            for (var i = w; i < count; i += writers)
            {
                if (rate > 0)
                {
                    var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    }
                }
                var made = await tickets.CreateAsync(customers[i % customers.Count], new TicketInput { Subject = $"第 {i} 号" }, CancellationToken.None);
                if (!made.IsSuccess)
                {
                    throw new InvalidOperationException($"Change {i} failed: {made.Error!.Code}");
                }
                commits?.TryAdd(made.Value.Id.ToString("D"), Stopwatch.GetTimestamp());
                db.ChangeTracker.Clear();
            }
        })));
    }

    private static async Task<WebApplication> ReceiverAsync(ConcurrentDictionary<string, long> arrivals, ConcurrentDictionary<string, long> records)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var at = Stopwatch.GetTimestamp();
            arrivals.TryAdd(http.Request.Headers["Idempotency-Key"].ToString(), at);
            // And by the record, for the lag of a change: its commit to its event's arrival.
            using var json = System.Text.Json.JsonDocument.Parse(body.ToArray());
            if (json.RootElement.TryGetProperty("recordId", out var record))
            {
                records.TryAdd(record.GetString()!, at);
            }
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

}
