using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Routing;

namespace Switchboard.Core.Telephony.Asterisk;

/// <summary>
/// Follows one Asterisk server over AMI: connects, logs in, turns its call events into canonical events for the
/// call registry, and reconnects with exponential backoff (1 s doubling to 30 s) whenever the connection drops or
/// the login fails. Nothing it reads is logged but event names and counts.
/// With <paramref name="routing"/>, it also gives routing's decisions to Asterisk: when a caller joins a queue,
/// Switchboard decides, and the caller's channel is redirected (AMI <c>Redirect</c>) to the extension of the agent
/// offered, in <paramref name="agentContext"/>; a call that waits stays in the Asterisk queue (its music on hold)
/// until routing offers it.
/// </summary>
public sealed partial class AmiClient(
    TelephonySource source, CallRegistry calls, TimeProvider time, ILogger logger, RoutingService? routing = null, string agentContext = "from-internal")
    : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(5);
    private readonly AmiCallCorrelator _correlator = new(source);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AmiMessage>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private Stream? _session;
    private long _actions;
    private long _events;
    private TimeSpan _backoff = TimeSpan.FromSeconds(1);

    /// <summary>The telephony source this client follows.</summary>
    public TelephonySource Source => source;

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
        var buffer = new byte[16 * 1024];
        var loggedIn = false;
        try
        {
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
                        // Hang-ups missed while disconnected: calls the registry no longer has live need no channel.
                        _correlator.Forget(linkedId => calls.Find(source.Name, linkedId) is null or { Phase: CallPhase.Ended });
                        _session = stream;
                        Sessions++;
                        _backoff = TimeSpan.FromSeconds(1); // a good session starts the backoff over
                        Log.Connected(logger, source.Name);
                        continue;
                    }
                    if (message.Response is not null)
                    {
                        if (message["ActionID"] is { } actionId && _pending.TryRemove(actionId, out var waiting))
                        {
                            waiting.TrySetResult(message);
                        }
                        continue;
                    }
                    var mapped = _correlator.Map(message, time.GetUtcNow().UtcDateTime);
                    if (mapped.Count > 0 && (await TelephonyIntake.AcceptAsync(calls, source, mapped, stoppingToken)).IsSuccess)
                    {
                        Interlocked.Add(ref _events, mapped.Count);
                        foreach (var queued in mapped.Where(e => e.Kind == CallEventKind.Queued))
                        {
                            // Off the read loop: the redirect's response arrives through this same loop.
                            _ = RouteAsync(queued.SourceCallId, queued.Queue, stoppingToken);
                        }
                    }
                }
            }
        }
        finally
        {
            _session = null;
            foreach (var waiting in _pending.Values)
            {
                waiting.TrySetCanceled(CancellationToken.None);
            }
            _pending.Clear();
        }
    }

    /// <summary>Routing decides for a caller who joined a queue; an agent offered at once gets the call redirected.</summary>
    private async Task RouteAsync(string linkedId, string? queue, CancellationToken cancellationToken)
    {
        if (routing is null)
        {
            return;
        }
        try
        {
            var from = calls.Find(source.Name, linkedId)?.From;
            var answer = await routing.DecideAsync(new RoutingRequest(RoutedCallIds.Of(source.Name, linkedId), from, queue, "inbound"), cancellationToken);
            if (answer is { IsSuccess: true, Value.Offer: { } offer }
                && await RedirectAsync(linkedId, offer.AgentId, answer.Value.Decision.Queue, cancellationToken) is { Error: { } failed })
            {
                Log.RoutingFailed(logger, source.Name, failed.Code); // routing's ring timeout offers the call on
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RoutingFailed(logger, source.Name, e.GetType().Name);
        }
    }

    /// <summary>
    /// Moves a live call's caller channel to the agent's extension (AMI <c>Redirect</c>), and waits for Asterisk's
    /// response. First it sets <c>SWITCHBOARD_QUEUE</c> on the channel (AMI <c>Setvar</c>) to the queue the call
    /// belongs in, so the agent context's dialplan can put an unanswered caller back there (docs/telephony.md).
    /// Fails when the call is unknown here, the session is down, or Asterisk refuses.
    /// </summary>
    public async Task<Result<bool>> RedirectAsync(string linkedId, string agentId, string? queue, CancellationToken cancellationToken)
    {
        if (_correlator.CallerChannel(linkedId) is not { } channel)
        {
            return Error.NotFound("call on this Asterisk server");
        }
        if (queue is not null && Refused(await SendAsync([("Action", "Setvar"), ("Channel", channel), ("Variable", "SWITCHBOARD_QUEUE"), ("Value", queue)], cancellationToken))
            is { } notSet)
        {
            return notSet;
        }
        return Refused(await SendAsync(
            [("Action", "Redirect"), ("Channel", channel), ("Context", agentContext), ("Exten", _correlator.ExtensionOfAgent(agentId)), ("Priority", "1")],
            cancellationToken)) is { } refused ? refused : true;
    }

    private static Error? Refused(Result<AmiMessage> response) =>
        !response.IsSuccess ? response.Error
        : !string.Equals(response.Value["Response"], "Success", StringComparison.OrdinalIgnoreCase)
            ? new Error(ErrorKind.Unavailable, "telephony.action_refused", "Asterisk refused the action.")
            : null;

    /// <summary>Sends one AMI action on the current session and waits (up to 5 s) for its response.</summary>
    public async Task<Result<AmiMessage>> SendAsync(IReadOnlyList<(string Key, string Value)> fields, CancellationToken cancellationToken)
    {
        if (_session is not { } stream)
        {
            return new Error(ErrorKind.Unavailable, "telephony.disconnected", "The AMI session is down.");
        }
        var actionId = string.Create(CultureInfo.InvariantCulture, $"switchboard-{Interlocked.Increment(ref _actions)}");
        var text = new StringBuilder();
        foreach (var (key, value) in fields)
        {
            text.Append(key).Append(": ").Append(Clean(value)).Append("\r\n");
        }
        text.Append("ActionID: ").Append(actionId).Append("\r\n\r\n");
        var response = new TaskCompletionSource<AmiMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[actionId] = response;
        try
        {
            await _writing.WaitAsync(cancellationToken);
            try
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
            }
            finally
            {
                _writing.Release();
            }
            return await response.Task.WaitAsync(ActionTimeout, time, cancellationToken);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Error(ErrorKind.Unavailable, "telephony.action_failed", "The AMI action got no response.");
        }
        finally
        {
            _pending.TryRemove(actionId, out _);
        }
    }

    public void Dispose() => _writing.Dispose();

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

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Asterisk source {Source}: routing a queued call failed ({Error})")]
        public static partial void RoutingFailed(ILogger logger, string source, string error);
    }
}
