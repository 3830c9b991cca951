using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Telephony;
using Switchboard.Hosting;

namespace Switchboard.Simulation;

/// <summary>What a simulation run measured.</summary>
public sealed record SimulationReport(
    int Agents, int Calls, TimeSpan Elapsed, int Pops, int Lost, int Duplicates, int FailedEvents,
    double P50Ms, double P95Ms, double P99Ms, double MaxMs, IReadOnlyList<LatencyWindow> Windows)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Calls} calls to {Agents} agents in {Elapsed.TotalSeconds:0.0} s ({Calls / Elapsed.TotalSeconds:0} calls/s); " +
        $"pops {Pops}, lost {Lost}, duplicate {Duplicates}, failed events {FailedEvents}; " +
        $"ringing event sent → pop received: p50 {P50Ms:0.00} ms, p95 {P95Ms:0.00} ms, p99 {P99Ms:0.00} ms, max {MaxMs:0.00} ms");
}

/// <summary>Latency of the pops whose ringing event was sent in one 10-second window of the run: a stall shows where it happened.</summary>
public sealed record LatencyWindow(int FromSecond, int Pops, double P50Ms, double P99Ms, double MaxMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"  {FromSecond,4}–{FromSecond + 10,-4} s  {Pops,7} pops  p50 {P50Ms,8:0.00} ms  p99 {P99Ms,8:0.00} ms  max {MaxMs,8:0.00} ms");
}

/// <summary>
/// Drives a running Switchboard like a contact center would: N agents hold desktop connections on /hubs/agent; calls
/// from the replica's own numbers arrive at a fixed rate as signed events (offered, then ringing at an agent);
/// each pop's latency is measured from sending the ringing event to the pop arriving on the agent's socket.
/// Open loop: calls start on schedule whatever the server does, so a stall shows in the figures.
/// </summary>
internal sealed class CallLoadSimulator(
    Uri server, string? apiKey, int agents, int rate, TimeSpan duration, TimeSpan warmup, TimeSpan ringAfter, TimeProvider time, TextWriter output)
{
    private const string CallPrefix = "sim-";
    private readonly ConcurrentDictionary<string, (long At, double ScheduledSecond)> _sentAt = new();
    private readonly ConcurrentDictionary<string, int> _pops = new();
    private readonly ConcurrentBag<(double SentAtSecond, double Ms)> _latencies = [];
    private int _failed;

    public async Task<SimulationReport> RunAsync(IProgress<(int Calls, int Pops)>? progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        HostingExtensions.Configure(json);

        var source = await CreateSourceAsync(http, json, cancellationToken);
        var numbers = await SampleNumbersAsync(http, json, cancellationToken);
        await output.WriteLineAsync($"Source '{source.Source.Name}', {numbers.Count} caller numbers from the replica; connecting {agents} agents...");
        var connections = await ConnectAgentsAsync(json, cancellationToken);
        try
        {
            if (warmup > TimeSpan.Zero)
            {
                // Unmeasured calls first: the server's JIT, thread pool and caches reach their working state, as they
                // would in a center that has been open for a minute, before the figures start.
                await output.WriteLineAsync($"Warming up for {warmup.TotalSeconds:0} s...");
                await OfferAsync(http, source, numbers, (int)(rate * warmup.TotalSeconds), "warm-", null, cancellationToken);
            }
            var total = (int)(rate * duration.TotalSeconds);
            var start = Stopwatch.GetTimestamp();
            await OfferAsync(http, source, numbers, total, CallPrefix, progress, cancellationToken);
            // Pops still in flight get a grace period.
            var grace = Stopwatch.GetTimestamp();
            while (_pops.Count < _sentAt.Count && Stopwatch.GetElapsedTime(grace) < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, cancellationToken);
            }
            progress?.Report((total, _pops.Count));
            var elapsed = Stopwatch.GetElapsedTime(start);
            var sorted = _latencies.Select(l => l.Ms).Order().ToArray();
            var windows = _latencies.GroupBy(l => (int)(l.SentAtSecond / 10) * 10).OrderBy(g => g.Key)
                .Select(g => (From: g.Key, Sorted: g.Select(l => l.Ms).Order().ToArray()))
                .Select(w => new LatencyWindow(w.From, w.Sorted.Length, Percentiles.NearestRank(w.Sorted, 0.50), Percentiles.NearestRank(w.Sorted, 0.99), w.Sorted[^1]))
                .ToList();
            return new SimulationReport(agents, total, elapsed, _pops.Values.Sum(), _sentAt.Keys.Count(k => !_pops.ContainsKey(k)),
                _pops.Values.Count(n => n > 1), _failed, Percentiles.NearestRank(sorted, 0.50), Percentiles.NearestRank(sorted, 0.95), Percentiles.NearestRank(sorted, 0.99),
                sorted.Length == 0 ? double.NaN : sorted[^1], windows);
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Offers <paramref name="count"/> calls on the rate's schedule (open loop) and waits for their events to be answered.</summary>
    private async Task OfferAsync(HttpClient http, TelephonySourceCredentials source, List<string> numbers, int count, string prefix,
        IProgress<(int Calls, int Pops)>? progress, CancellationToken cancellationToken)
    {
        var interval = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task>(count);
        for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var scheduled = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < scheduled)
            {
                await Task.Delay(1, cancellationToken);
            }
            sends.Add(CallAsync(http, source, prefix + i.ToString(CultureInfo.InvariantCulture), i, numbers[i % numbers.Count], cancellationToken));
            if (i % Math.Max(1, rate / 4) == 0)
            {
                progress?.Report((i + 1, _pops.Count));
            }
        }
        await Task.WhenAll(sends);
    }

    private async Task CallAsync(HttpClient http, TelephonySourceCredentials source, string callId, int n, string from, CancellationToken cancellationToken)
    {
        var measured = callId.StartsWith(CallPrefix, StringComparison.Ordinal);
        var agent = AgentName(n % agents);
        if (!await SendAsync(http, source, $$"""{"callId":"{{callId}}","eventId":"{{callId}}/offered","kind":"offered","direction":"inbound","from":{{JsonSerializer.Serialize(from)}},"to":"95588"}""", cancellationToken))
        {
            return;
        }
        if (ringAfter > TimeSpan.Zero)
        {
            await Task.Delay(ringAfter, cancellationToken); // the caller waits in the queue (or the IVR) before it rings
        }
        if (measured)
        {
            _sentAt[callId] = (Stopwatch.GetTimestamp(), n / (double)rate);
        }
        await SendAsync(http, source, $$"""{"callId":"{{callId}}","eventId":"{{callId}}/ringing","kind":"ringing","agent":"{{agent}}"}""", cancellationToken);
    }

    private async Task<bool> SendAsync(HttpClient http, TelephonySourceCredentials source, string body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/telephony/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Switchboard-Source", source.Source.Name);
        request.Headers.Add("X-Switchboard-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Switchboard-Signature", SourceSecrets.Sign(source.SigningSecret, timestamp, bytes));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }
        }
        catch (HttpRequestException)
        {
        }
        Interlocked.Increment(ref _failed);
        return false;
    }

    private async Task<List<HubConnection>> ConnectAgentsAsync(JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var connections = new List<HubConnection>(agents);
        for (var batch = 0; batch < agents; batch += 100)
        {
            var started = Enumerable.Range(batch, Math.Min(100, agents - batch)).Select(async i =>
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(server, "/hubs/agent?agent=" + AgentName(i)), options =>
                    {
                        if (apiKey is not null)
                        {
                            options.Headers["Authorization"] = "Bearer " + apiKey; // a system key acts for the agents it names
                        }
                    })
                    .AddJsonProtocol(options => HostingExtensions.Configure(options.PayloadSerializerOptions))
                    .Build();
                connection.On<ScreenPopMessage>("ScreenPop", pop =>
                {
                    var received = Stopwatch.GetTimestamp();
                    if (!pop.Call.CallId.StartsWith(CallPrefix, StringComparison.Ordinal))
                    {
                        return;
                    }
                    if (_pops.AddOrUpdate(pop.Call.CallId, 1, (_, count) => count + 1) == 1 && _sentAt.TryGetValue(pop.Call.CallId, out var sent))
                    {
                        _latencies.Add((sent.ScheduledSecond, Stopwatch.GetElapsedTime(sent.At, received).TotalMilliseconds));
                    }
                });
                await connection.StartAsync(cancellationToken);
                return connection;
            });
            connections.AddRange(await Task.WhenAll(started));
        }
        return connections;
    }

    private async Task<TelephonySourceCredentials> CreateSourceAsync(HttpClient http, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var name = "simulate-" + Ids.New(time).ToString("N")[^12..];
        var response = await http.PostAsJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput { Name = name, Kind = TelephonySourceKind.Generic }, json, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TelephonySourceCredentials>(json, cancellationToken))!;
    }

    /// <summary>
    /// Callers from all over the replica, not just its first page: customer ids are GUIDv7, ordered by when the
    /// customer was created, so pages read from random points in time between the oldest customer and now are a
    /// spread sample (and the server's caches see a realistic mix rather than the same few rows).
    /// </summary>
    private async Task<List<string>> SampleNumbersAsync(HttpClient http, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var first = await http.GetFromJsonAsync<Page<CustomerView>>("/api/v1/customers?limit=20", json, cancellationToken);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        numbers.UnionWith(NumbersOf(first!));
        if (first!.Items is [var oldest, ..])
        {
            var from = BinaryPrimitives.ReadInt64BigEndian(oldest.Id.ToByteArray(bigEndian: true)) >>> 16;
            var to = time.GetUtcNow().ToUnixTimeMilliseconds();
            var random = new Random(7);
            for (var page = 0; page < 250; page++)
            {
                var cursor = DeterministicIds.At(DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(from, Math.Max(from + 1, to))), random).ToString("N");
                var items = await http.GetFromJsonAsync<Page<CustomerView>>($"/api/v1/customers?limit=20&cursor={cursor}", json, cancellationToken);
                numbers.UnionWith(NumbersOf(items!));
            }
        }
        return numbers.Count > 0 ? [.. numbers.Order(StringComparer.Ordinal)] : ["13800138000"];
    }

    private static IEnumerable<string> NumbersOf(Page<CustomerView> page) =>
        page.Items.SelectMany(c => c.ContactPoints).Where(p => p.E164 is not null).Select(p => p.Raw);

    private static string AgentName(int i) => "sim-agent-" + i.ToString("D5", CultureInfo.InvariantCulture);
}
