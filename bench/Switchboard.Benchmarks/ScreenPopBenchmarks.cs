using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Calls;
using Switchboard.Core.Demo;
using Switchboard.Core.Persistence;
using Switchboard.Core.ScreenPop;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Benchmarks;

/// <summary>
/// The server's share of a pop: normalise the caller's number, identify the customer in the SQLite replica, and
/// compose the snapshot (profile, open tickets, interactions, orders, opportunities), as the dispatcher does, with a
/// scope per pop. Callers are drawn at random from a 100,000-customer demo store (seeded once, kept in /tmp).
/// <see cref="ComposedAhead"/> false: composed from the replica at the ring (the cache off); true: the contexts were
/// composed when the calls were offered (all 4,096 callers, before measuring), as the dispatcher does.
/// </summary>
[MemoryDiagnoser]
public class ScreenPopBenchmarks
{
    private const int Customers = 100_000;
    private IHost _host = null!;
    private string[] _numbers = [];
    private int _next;

    [Params(false, true)]
    public bool ComposedAhead { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"switchboard-bench-pop-{Customers}");
        _host = OfflineHost.Build([$"--Storage:DataDirectory={dir}", $"--ScreenPop:ContextTtlSeconds={(ComposedAhead ? 3600 : 0)}"]);
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        if (await seeder.IsEmptyAsync(CancellationToken.None))
        {
            await seeder.SeedAsync(new SeedRequest(Customers, AsOf: new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), null, CancellationToken.None);
        }
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        _numbers = [.. await db.ContactPoints.Where(p => p.E164 != null).OrderBy(_ => EF.Functions.Random()).Select(p => p.Raw).Take(4096).ToListAsync()];
        if (ComposedAhead)
        {
            foreach (var number in _numbers)
            {
                await using var warm = _host.Services.CreateAsyncScope();
                await warm.ServiceProvider.GetRequiredService<ScreenPopComposer>().ContextAsync(number, CancellationToken.None);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public async Task<ScreenPopMessage> NormaliseIdentifyCompose()
    {
        var number = _numbers[_next++ % _numbers.Length];
        var call = new CallSnapshot("bench", "c1", CallPhase.Ringing, CallDirection.Inbound, number, "95588", "general", "agent-1",
            false, null, null, null, null, null, null, null);
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScreenPopComposer>().ComposeAsync(call, CancellationToken.None);
    }
}
