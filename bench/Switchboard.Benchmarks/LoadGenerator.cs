using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// An open-loop load generator: requests start on a fixed schedule (RATE per second) whatever the server does,
/// and latency is measured from the scheduled start, so a stall is counted for every request it delays
/// (no coordinated omission). URL may contain {phone}: each request takes the next line of the phones file.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<int> RunAsync(string url, int rate, int seconds, string[] rest)
    {
        var phones = rest.Length > 0 ? await File.ReadAllLinesAsync(rest[0]) : ["13800138000"];
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        Authorize(client);

        // Warm up: connections, JIT, caches.
        for (var i = 0; i < Math.Min(rate, 500); i++)
        {
            using var _ = await client.GetAsync(Url(url, phones, i));
        }
        return await RunOpenLoopAsync(rate, seconds, (i, scheduled, latencies, fail) => SendAsync(client, Url(url, phones, i), scheduled, latencies, i, fail));
    }

    /// <summary>
    /// Routed calls end to end through the generic API: the server gets a routing configuration of 500 agents (all made
    /// available), then each call is a POST /api/v1/routing/decide from a caller of the phones file (latency measured),
    /// followed by POST .../end so its agent is free again. Reports offers made and refused answers.
    /// </summary>
    public static async Task<int> RouteAsync(string baseUrl, int rate, int seconds, string[] rest)
    {
        var phones = rest.Length > 0 ? await File.ReadAllLinesAsync(rest[0]) : ["13800138000"];
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        Authorize(client);
        var agents = Enumerable.Range(0, 500).Select(i => $"{{\"id\":\"agent-{i:D3}\",\"groups\":[\"{(i < 50 ? "senior" : "general")}\"],\"skills\":{{\"zh-CN\":{1 + i % 5}}}}}");
        var configuration = $$"""
            {"groups":["senior","general"],"agents":[{{string.Join(",", agents)}}],
             "rules":[{"name":"vip","when":"tier == 'vip'","queue":"vip","priority":10,"ageCreditSeconds":90,"bypass":true,"steps":[{"group":"senior","timeoutSeconds":30},{"group":"general"}]},
                      {"name":"everyone","queue":"general","priority":0,"steps":[{"group":"general"}]}],
             "strategy":"longestIdle","ringTimeoutSeconds":20,"missedOffersBeforeAway":3,"wrapUpSeconds":0}
            """;
        using (var put = await client.PutAsync("/api/v1/routing/configuration", new StringContent(configuration, System.Text.Encoding.UTF8, "application/json")))
        {
            put.EnsureSuccessStatusCode();
        }
        for (var i = 0; i < 500; i++)
        {
            using var _ = await client.PostAsync($"/api/v1/routing/agents/agent-{i:D3}/presence", new StringContent("{\"status\":\"available\"}", System.Text.Encoding.UTF8, "application/json"));
        }
        var run = Switchboard.Core.Common.Ids.New(TimeProvider.System).ToString("N")[^8..];
        // With a hold time, the tool plays the telephony side: an offered call is answered, talks for the hold time,
        // then ends. Each agent's current call is tracked here: an offer to an agent still holding a call (their end
        // not yet sent) is a double offer. Without one, each call ends at once.
        var hold = rest.Length > 1 ? TimeSpan.FromMilliseconds(int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        var holding = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var offered = 0;
        var doubles = 0;
        var code = await RunOpenLoopAsync(rate, seconds, async (i, scheduled, latencies, fail) =>
        {
            var id = $"{run}-{i}";
            try
            {
                var body = $"{{\"callId\":\"{id}\",\"from\":\"{phones[i % phones.Length]}\",\"direction\":\"inbound\"}}";
                using var response = await client.PostAsync("/api/v1/routing/decide", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                latencies[i] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    fail();
                    return;
                }
                var agent = AgentOffered(text);
                if (agent is not null)
                {
                    Interlocked.Increment(ref offered);
                    if (!holding.TryAdd(agent, id))
                    {
                        Interlocked.Increment(ref doubles);
                    }
                    else if (hold > TimeSpan.Zero)
                    {
                        using var answered = await client.PostAsync($"/api/v1/routing/calls/{id}/answer",
                            new StringContent($"{{\"agentId\":\"{agent}\"}}", System.Text.Encoding.UTF8, "application/json"));
                        await Task.Delay(hold);
                    }
                    holding.TryRemove(new KeyValuePair<string, string>(agent, id)); // before the end: the agent is free from then on
                }
                using var _ = await client.PostAsync($"/api/v1/routing/calls/{id}/end", null);
            }
            catch (HttpRequestException)
            {
                latencies[i] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                fail();
            }
        });
        Console.WriteLine($"{offered} of {rate * seconds} calls were offered to an agent at once (the rest waited for one); {doubles} double offers.");
        return doubles > 0 ? 1 : code;
    }

    /// <summary>Switchboard's API wants a credential: an Admin or Integration key from SWITCHBOARD_API_KEY (the floor ignores it).</summary>
    private static void Authorize(HttpClient client)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_API_KEY") is { Length: > 0 } key)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>The agent id in a decision's <c>"offer":{…"agentId":"…"}</c>, without a JSON parse on the hot path.</summary>
    private static string? AgentOffered(string decision)
    {
        var offer = decision.IndexOf("\"offer\":{", StringComparison.Ordinal);
        if (offer < 0)
        {
            return null;
        }
        const string Key = "\"agentId\":\"";
        var start = decision.IndexOf(Key, offer, StringComparison.Ordinal) + Key.Length;
        return decision[start..decision.IndexOf('"', start)];
    }

    private static async Task<int> RunOpenLoopAsync(int rate, int seconds, Func<int, long, double[], Action, Task> send)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var failures = 0;
        var interval = Stopwatch.Frequency / (double)rate;
        var tasks = new Task[total];
        var start = Stopwatch.GetTimestamp();
        // One thread paces the requests: it sleeps ~1 ms at a time and sends every request whose time has come.
        // Latency counts from the scheduled time, so the pacer's own lateness is charged to the run, never hidden.
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var scheduled = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() < scheduled)
                {
                    Thread.Sleep(1);
                }
                tasks[i] = send(i, scheduled, latencies, () => Interlocked.Increment(ref failures));
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        pacer.Join();
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;

        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} requests at {rate}/s over {elapsed:0.0} s ({total / elapsed:0} /s achieved), {failures} failed; latency ms: p50 {P(0.50):0.00}  p90 {P(0.90):0.00}  p99 {P(0.99):0.00}  p99.9 {P(0.999):0.00}  max {latencies[^1]:0.00}"));
        return failures == 0 ? 0 : 1;
    }

    private static async Task SendAsync(HttpClient client, string url, long scheduled, double[] latencies, int index, Action fail)
    {
        try
        {
            using var response = await client.GetAsync(url);
            await response.Content.LoadIntoBufferAsync();
            if (!response.IsSuccessStatusCode)
            {
                fail();
            }
        }
        catch (HttpRequestException)
        {
            fail();
        }
        latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
    }

    private static string Url(string template, string[] phones, int i) =>
        template.Replace("{phone}", Uri.EscapeDataString(phones[i % phones.Length]), StringComparison.Ordinal);
}
