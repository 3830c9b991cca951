using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Switchboard.Core.Calls;
using Switchboard.Core.Identification;
using Switchboard.Core.Routing;
using Switchboard.Core.Telephony;
using Switchboard.Core.Telephony.Asterisk;

namespace Switchboard.Hosting;

/// <summary>
/// Keeps one AMI client running per enabled Asterisk source, looking for sources added, changed or removed when the API
/// changes one and every 30 s (the CLI writes to the store directly), so a new Asterisk server is followed without a
/// restart. Routing's later offers reach a server
/// through its client (<see cref="Find"/>).
/// </summary>
internal sealed class AsteriskConnections(
    IServiceScopeFactory scopes, CallRegistry calls, RoutingService routing, IOptions<TelephonyOptions> options, TimeProvider time, ILoggerFactory loggers)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, (long Version, CancellationTokenSource Stop, Task Run, AmiClient Client)> _clients = new(StringComparer.Ordinal);

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Look at the sources again now.</summary>
    public void SourcesChanged() => _changed.Writer.TryWrite(true);

    /// <summary>The client following the Asterisk source of this name, if it is enabled.</summary>
    public AmiClient? Find(string sourceName) => _clients.TryGetValue(sourceName, out var client) ? client.Client : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await ReconcileAsync(stoppingToken);
                using var poll = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, stoppingToken);
                try
                {
                    await _changed.Reader.ReadAsync(wake.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var client in _clients.Values)
            {
                await client.Stop.CancelAsync();
            }
            await Task.WhenAll(_clients.Values.Select(c => c.Run));
            foreach (var client in _clients.Values)
            {
                client.Client.Dispose();
                client.Stop.Dispose();
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<TelephonySource> sources;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            sources = await scope.ServiceProvider.GetRequiredService<TelephonySourceService>().AsteriskSourcesAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return; // the store is down: keep the clients we have, look again next time
        }
        foreach (var gone in _clients.Where(c => !sources.Any(s => s.Name == c.Key && s.Version == c.Value.Version)).Select(c => c.Key).ToList())
        {
            if (_clients.TryRemove(gone, out var stopped))
            {
                await stopped.Stop.CancelAsync();
                _ = stopped.Run.ContinueWith(_ => { stopped.Client.Dispose(); stopped.Stop.Dispose(); }, TaskScheduler.Default);
            }
        }
        foreach (var source in sources.Where(s => !_clients.ContainsKey(s.Name)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var client = new AmiClient(source, calls, time, loggers.CreateLogger<AmiClient>(), routing, options.Value.AsteriskAgentContext);
            _clients[source.Name] = (source.Version, stop, client.RunAsync(stop.Token), client);
        }
    }
}
