using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Core.Calls;
using Switchboard.Core.Persistence;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Core.Demo;

/// <summary>
/// Makes a demo come alive: every few seconds a call from a customer in the replica (now and then an unknown or
/// withheld number) rings at an agent whose desktop is open, is answered or missed, and ends. The events go
/// through the same registry, journal, pops and timeline as real ones, from the source "demo".
/// </summary>
public sealed class DemoCallSimulator(
    CallRegistry calls, IConnectedAgents agents, IServiceScopeFactory scopes, TimeProvider time, IOptions<DemoCallOptions> options)
{
    public const string Source = "demo";
    private readonly Random _random = new(7);
    private long _calls;

    /// <summary>Calls started so far.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SimulateCalls)
        {
            return;
        }
        var numbers = await SampleNumbersAsync(stoppingToken);
        var running = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CallEverySeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var connected = agents.Current;
            if (connected.Count == 0)
            {
                continue;
            }
            var agent = connected[_random.Next(connected.Count)];
            var from = _random.NextDouble() switch
            {
                < 0.08 => "anonymous",
                < 0.2 => "1390000" + _random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
                _ when numbers.Count > 0 => numbers[_random.Next(numbers.Count)],
                _ => "13800138000",
            };
            running.RemoveAll(t => t.IsCompleted);
            running.Add(CallAsync(Interlocked.Increment(ref _calls), from, agent, answered: _random.NextDouble() < 0.75,
                talk: TimeSpan.FromSeconds(_random.Next(8, 30)), stoppingToken));
        }
        await Task.WhenAll(running);
    }

    private async Task CallAsync(long n, string from, string agent, bool answered, TimeSpan talk, CancellationToken stoppingToken)
    {
        var callId = "demo-" + n.ToString(CultureInfo.InvariantCulture);
        async Task SendAsync(string key, CallEventKind kind, string? agentId = null, EndCause? cause = null) =>
            await calls.AcceptAsync(new CallEvent(Source, callId, key, kind, time.GetUtcNow().UtcDateTime, CallDirection.Inbound,
                from, "95588", "demo", agentId, cause), stoppingToken);
        try
        {
            await SendAsync("offered", CallEventKind.Offered);
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            await SendAsync("ringing", CallEventKind.Ringing, agent);
            await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            if (!answered)
            {
                await SendAsync("ended", CallEventKind.Ended, cause: EndCause.NoAnswer);
                return;
            }
            await SendAsync("answered", CallEventKind.Answered, agent);
            await Task.Delay(talk, time, stoppingToken);
            await SendAsync("ended", CallEventKind.Ended, cause: EndCause.Normal);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Some numbers of the replica, written as the seed wrote them (a varied set of formats).</summary>
    private async Task<IReadOnlyList<string>> SampleNumbersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        return await db.ContactPoints.AsNoTracking().Where(p => p.E164 != null).OrderBy(p => p.Id).Take(500).Select(p => p.Raw).ToListAsync(cancellationToken);
    }
}
