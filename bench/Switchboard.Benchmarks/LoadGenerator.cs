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

        // Warm up: connections, JIT, caches.
        for (var i = 0; i < Math.Min(rate, 500); i++)
        {
            using var _ = await client.GetAsync(Url(url, phones, i));
        }

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
                tasks[i] = SendAsync(client, Url(url, phones, i), scheduled, latencies, i, () => Interlocked.Increment(ref failures));
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
