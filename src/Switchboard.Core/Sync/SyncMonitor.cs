using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Mapping;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Sync;

/// <summary>
/// What this node measured of each connection's pulls, held in memory for the health view: the lag of each record
/// applied (from its modification in the CRM to its commit here; the last 20,000), the records applied in each of the
/// last 60 seconds, and a way to wake a connection's puller now.
/// </summary>
public sealed class SyncMonitor(TimeProvider time)
{
    private const int MaxLags = 20_000;
    private readonly ConcurrentDictionary<Guid, Meter> _meters = new();

    private sealed class Meter
    {
        public readonly Lock Gate = new();
        public readonly Queue<double> Lags = new();
        public readonly long[] PerSecond = new long[60];
        public readonly long[] SecondOf = new long[60];
        public TaskCompletionSource Wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public DateTime NextEchoSweep;
    }

    private Meter Of(Guid connection) => _meters.GetOrAdd(connection, _ => new Meter());

    /// <summary>Records a committed page: each applied record's lag (also to the <c>switchboard.sync.lag</c> histogram).</summary>
    public void Committed(Guid connection, string name, IReadOnlyCollection<DateTime> modifiedAt, DateTime committedAt)
    {
        var meter = Of(connection);
        var second = committedAt.Ticks / TimeSpan.TicksPerSecond;
        var tag = new KeyValuePair<string, object?>("connection", name);
        lock (meter.Gate)
        {
            foreach (var at in modifiedAt)
            {
                var lag = Math.Max(0, (committedAt - at).TotalMilliseconds);
                Diagnostics.SwitchboardTelemetry.SyncLag.Record(lag, tag);
                meter.Lags.Enqueue(lag);
                if (meter.Lags.Count > MaxLags)
                {
                    meter.Lags.Dequeue();
                }
            }
            var slot = (int)(second % 60);
            if (meter.SecondOf[slot] != second)
            {
                (meter.SecondOf[slot], meter.PerSecond[slot]) = (second, 0);
            }
            meter.PerSecond[slot] += modifiedAt.Count;
        }
    }

    /// <summary>Lag p50 and p99 (ms) over the last records applied, and records applied per second over the last minute.</summary>
    public (double? LagP50, double? LagP99, double PerSecond) Read(Guid connection)
    {
        var meter = Of(connection);
        var now = time.GetUtcNow().UtcDateTime.Ticks / TimeSpan.TicksPerSecond;
        lock (meter.Gate)
        {
            var lags = meter.Lags.Order().ToList();
            var recent = Enumerable.Range(0, 60).Where(i => now - meter.SecondOf[i] is >= 0 and < 60).Sum(i => meter.PerSecond[i]);
            return lags.Count == 0 ? (null, null, recent / 60.0) : (Common.Percentiles.NearestRank(lags, 0.50), Common.Percentiles.NearestRank(lags, 0.99), recent / 60.0);
        }
    }

    /// <summary>What a puller waits on between passes: completes when someone asks for a pass now.</summary>
    public Task WakeTask(Guid connection) => Volatile.Read(ref Of(connection).Wake).Task;

    public void WakeUp(Guid connection)
    {
        var meter = Of(connection);
        Interlocked.Exchange(ref meter.Wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Whether echoes of this connection are due to be swept for age (once a minute).</summary>
    public bool EchoSweepDue(Guid connection, DateTime now)
    {
        var meter = Of(connection);
        lock (meter.Gate)
        {
            if (now < meter.NextEchoSweep)
            {
                return false;
            }
            meter.NextEchoSweep = now.AddMinutes(1);
            return true;
        }
    }
}

/// <summary>Checked mapping specs by name and version, so that a pass or a push does not parse the document again.</summary>
public sealed class MappingSpecCache
{
    private readonly ConcurrentDictionary<(string, int), MappingSpec> _specs = new();

    /// <summary>The latest version of the named spec, or null when there is none.</summary>
    public async Task<MappingSpec?> LatestAsync(SwitchboardDbContext db, string name, CancellationToken cancellationToken)
    {
        var version = await db.MappingVersions.AsNoTracking().Where(m => m.Name == name).MaxAsync(m => (int?)m.Version, cancellationToken);
        if (version is not { } v)
        {
            return null;
        }
        if (_specs.TryGetValue((name, v), out var spec))
        {
            return spec;
        }
        var stored = await db.MappingVersions.AsNoTracking().FirstAsync(m => m.Name == name && m.Version == v, cancellationToken);
        spec = MappingSpec.Read(stored.Document, stored.Format == "yaml").Value;
        _specs[(name, v)] = spec;
        return spec;
    }
}
