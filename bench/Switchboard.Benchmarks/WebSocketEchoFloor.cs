using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// The floor of the pop benchmark: a bare WebSocket echo on loopback, N connections held open, messages of a pop's
/// size sent on a fixed schedule (R per second, round robin over the connections), round-trip time measured.
/// </summary>
internal static class WebSocketEchoFloor
{
    public static async Task<int> RunAsync(int connections, int rate, int seconds)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:5099");
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[8192];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        });
        await app.StartAsync();

        var sockets = new ClientWebSocket[connections];
        for (var i = 0; i < connections; i++)
        {
            sockets[i] = new ClientWebSocket();
            await sockets[i].ConnectAsync(new Uri("ws://127.0.0.1:5099/echo"), CancellationToken.None);
        }
        var payload = new byte[2000]; // about a serialized pop
        var total = rate * seconds;
        var latencies = new double[total];
        var interval = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var gates = sockets.Select(_ => new SemaphoreSlim(1)).ToArray();
        var tasks = new Task[total];
        for (var i = 0; i < total; i++)
        {
            var scheduled = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < scheduled)
            {
                await Task.Delay(1);
            }
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                var socket = sockets[index % connections];
                var gate = gates[index % connections];
                await gate.WaitAsync();
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    await socket.SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None);
                    var buffer = new byte[8192];
                    var read = 0;
                    while (read < payload.Length)
                    {
                        read += (await socket.ReceiveAsync(buffer, CancellationToken.None)).Count;
                    }
                    latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                }
                finally
                {
                    gate.Release();
                }
            });
        }
        await Task.WhenAll(tasks);
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WebSocket echo floor: {connections} connections, {total} messages at {rate}/s; round trip ms: p50 {P(0.5):0.00}  p95 {P(0.95):0.00}  p99 {P(0.99):0.00}  max {latencies[^1]:0.00}"));
        await app.StopAsync();
        return 0;
    }
}
