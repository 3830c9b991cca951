using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Switchboard.Core.Identification;

namespace Switchboard.Core.ScreenPop;

/// <summary>Who is calling and their context, as composed for a pop, before any agent's field policy shapes it.</summary>
public sealed record PopContext(CallerIdentification Identification, PopCustomer? Customer);

/// <summary>
/// Pop contexts composed ahead of the ring. A call is offered (and usually queued) seconds before it rings at an
/// agent, so the dispatcher composes the caller's context then, and the ringing pop only shapes and sends it
/// (docs/adr/0009). Entries are keyed by the number as the source sent it and live for
/// <see cref="ScreenPopOptions.ContextTtlSeconds"/> at most.
/// <para>
/// Freshness: every committed change to a customer, their records or a number is reported to
/// <see cref="Invalidate"/> (by <see cref="PopContextInvalidation"/>), which stamps the customers and numbers with a
/// new generation; an entry composed from an older generation than any of its customers or its number is stale and
/// never served. Because the generation is read before composing, a change that commits while a context is being
/// composed is caught too. Changes made by another node reach this one only through the TTL.
/// </para>
/// </summary>
public sealed class PopContextCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly ConcurrentDictionary<Guid, Change> _changedCustomers = new();
    private readonly ConcurrentDictionary<string, Change> _changedNumbers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private long _generation;
    private long _lastPrune;

    public PopContextCache(IOptions<ScreenPopOptions> options, TimeProvider time)
    {
        _time = time;
        _ttl = TimeSpan.FromSeconds(options.Value.ContextTtlSeconds);
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.ContextCacheSize });
        Enabled = options.Value.ContextTtlSeconds > 0;
    }

    /// <summary>False when <see cref="ScreenPopOptions.ContextTtlSeconds"/> is 0: every pop is composed at the ring.</summary>
    public bool Enabled { get; }

    /// <summary>Read before composing and passed to <see cref="Set"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string key, out PopContext context)
    {
        if (Enabled && _entries.TryGetValue(key, out Entry? entry) && entry is not null && IsCurrent(entry))
        {
            context = entry.Context;
            return true;
        }
        context = null!;
        return false;
    }

    /// <summary>
    /// Keeps a context composed from data read after <paramref name="generation"/>. Unknown callers and matches on
    /// the last digits are not kept: a number added anywhere could change them, and they are cheap to compose.
    /// </summary>
    public void Set(string key, PopContext context, long generation)
    {
        var identification = context.Identification;
        if (!Enabled || identification.Kind is not (IdentificationKind.Single or IdentificationKind.Multiple)
            || identification.Candidates.Any(c => c.Reason == MatchReason.LastDigits))
        {
            return;
        }
        var entry = new Entry(context, generation, _time.GetUtcNow());
        if (IsCurrent(entry))
        {
            _entries.Set(key, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _ttl });
        }
    }

    /// <summary>Marks customers and numbers (E.164) as changed: contexts composed before now that show them are stale.</summary>
    public void Invalidate(IReadOnlyCollection<Guid> customers, IReadOnlyCollection<string> numbers)
    {
        if (!Enabled || (customers.Count == 0 && numbers.Count == 0))
        {
            return;
        }
        var now = _time.GetUtcNow();
        var change = new Change(Interlocked.Increment(ref _generation), now);
        foreach (var id in customers)
        {
            _changedCustomers[id] = change;
        }
        foreach (var number in numbers)
        {
            _changedNumbers[number] = change;
        }
        Prune(now);
    }

    private bool IsCurrent(Entry entry)
    {
        if (_time.GetUtcNow() - entry.ComposedAt >= _ttl)
        {
            return false;
        }
        var context = entry.Context;
        if (context.Identification.E164 is { } e164 && IsNewer(_changedNumbers, e164, entry.Generation))
        {
            return false;
        }
        foreach (var candidate in context.Identification.Candidates)
        {
            if (IsNewer(_changedCustomers, candidate.CustomerId, entry.Generation))
            {
                return false;
            }
        }
        return context.Customer?.CompanyId is not { } company || !IsNewer(_changedCustomers, company, entry.Generation);
    }

    private static bool IsNewer<TKey>(ConcurrentDictionary<TKey, Change> changes, TKey key, long generation) where TKey : notnull =>
        changes.TryGetValue(key, out var change) && change.Generation > generation;

    /// <summary>
    /// Forgets changes older than the TTL: every entry composed before such a change has expired by then. Runs at
    /// most once per TTL, so the change maps hold about one TTL's worth of writes.
    /// </summary>
    private void Prune(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastPrune);
        if (now.UtcTicks - last < _ttl.Ticks || Interlocked.CompareExchange(ref _lastPrune, now.UtcTicks, last) != last)
        {
            return;
        }
        foreach (var (id, change) in _changedCustomers)
        {
            if (now - change.At > _ttl)
            {
                _changedCustomers.TryRemove(new KeyValuePair<Guid, Change>(id, change));
            }
        }
        foreach (var (number, change) in _changedNumbers)
        {
            if (now - change.At > _ttl)
            {
                _changedNumbers.TryRemove(new KeyValuePair<string, Change>(number, change));
            }
        }
    }

    public void Dispose() => _entries.Dispose();

    private sealed record Entry(PopContext Context, long Generation, DateTimeOffset ComposedAt);

    private readonly record struct Change(long Generation, DateTimeOffset At);
}
