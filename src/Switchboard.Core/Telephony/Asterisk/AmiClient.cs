using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Calls;

namespace Switchboard.Core.Telephony.Asterisk;

/// <summary>
/// Follows one Asterisk server over AMI: connects, logs in, turns its call events into canonical events for the
/// call registry, and reconnects with exponential backoff (1 s doubling to 30 s) whenever the connection drops or
/// the login fails. Nothing it reads is logged but event names and counts.
/// </summary>
public sealed partial class AmiClient(TelephonySource source, CallRegistry calls, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private long _events;
    private TimeSpan _backoff = TimeSpan.FromSeconds(1);

    /// <summary>Canonical events accepted from this server so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Connections that completed a login.</summary>
    public int Sessions { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SessionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.Disconnected(logger, source.Name, e.GetType().Name, _backoff.TotalSeconds);
            }
            try
            {
                await Task.Delay(_backoff, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _backoff.Ticks * 2));
        }
    }

    private async Task SessionAsync(CancellationToken stoppingToken)
    {
        var (host, port) = EndpointOf(source.Endpoint);
        using var client = new TcpClient { NoDelay = true };
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(host, port, connectTimeout.Token);
        await using var stream = client.GetStream();

        var login = $"Action: Login\r\nActionID: switchboard-login\r\nUsername: {Clean(source.Account)}\r\nSecret: {Clean(source.SigningSecret)}\r\nEvents: call,agent\r\n\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(login), stoppingToken);

        var parser = new AmiParser();
        var correlator = new AmiCallCorrelator(source);
        var buffer = new byte[16 * 1024];
        var loggedIn = false;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, stoppingToken);
            if (read == 0)
            {
                throw new IOException("The AMI server closed the connection.");
            }
            foreach (var message in parser.Feed(buffer.AsSpan(0, read)))
            {
                if (!loggedIn)
                {
                    if (message.Response is null)
                    {
                        continue;
                    }
                    if (!string.Equals(message.Response, "Success", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new UnauthorizedAccessException("The AMI login was refused.");
                    }
                    loggedIn = true;
                    Sessions++;
                    _backoff = TimeSpan.FromSeconds(1); // a good session starts the backoff over
                    Log.Connected(logger, source.Name);
                    continue;
                }
                var mapped = correlator.Map(message, time.GetUtcNow().UtcDateTime);
                if (mapped.Count > 0 && (await TelephonyIntake.AcceptAsync(calls, source, mapped, stoppingToken)).IsSuccess)
                {
                    Interlocked.Add(ref _events, mapped.Count);
                }
            }
        }
    }

    /// <summary>"pbx.example:5038", "10.0.0.5" (port 5038).</summary>
    public static (string Host, int Port) EndpointOf(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException("The Asterisk source has no endpoint.");
        }
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (endpoint[..colon], port)
            : (endpoint, 5038);
    }

    /// <summary>AMI is line-based: a value must not carry a line break into the next header.</summary>
    private static string Clean(string? value) => (value ?? "").Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Asterisk source {Source}: logged in to AMI")]
        public static partial void Connected(ILogger logger, string source);

        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Asterisk source {Source}: AMI session ended ({Error}); reconnecting in {Seconds} s")]
        public static partial void Disconnected(ILogger logger, string source, string error, double seconds);
    }
}
