using Switchboard.Core.Calls;
using Switchboard.Core.Telephony;
using Switchboard.Core.Telephony.Asterisk;

namespace Switchboard.Hosting;

/// <summary>
/// Keeps one AMI client running per enabled Asterisk source, looking every 30 s for sources added, changed or removed
/// through the API, so a new Asterisk server is followed without a restart.
/// </summary>
internal sealed class AsteriskConnections(IServiceScopeFactory scopes, CallRegistry calls, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly Dictionary<string, (long Version, CancellationTokenSource Stop, Task Run)> _clients = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), time);
        try
        {
            do
            {
                await ReconcileAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
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
            await _clients[gone].Stop.CancelAsync();
            _clients.Remove(gone);
        }
        foreach (var source in sources.Where(s => !_clients.ContainsKey(s.Name)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var client = new AmiClient(source, calls, time, loggers.CreateLogger<AmiClient>());
            _clients[source.Name] = (source.Version, stop, client.RunAsync(stop.Token));
        }
    }
}
