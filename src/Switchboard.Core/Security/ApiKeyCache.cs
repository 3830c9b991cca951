using System.Collections.Concurrent;

namespace Switchboard.Core.Security;

/// <summary>
/// API keys recently checked (by hash), so a system's every request does not read the store: an answer is kept
/// for 10 seconds, and never past the key's expiry. Revoking or rotating on this node clears it at once; on other
/// nodes a revoked key works at most 10 seconds more. Bounded: at 10,000 entries it starts over.
/// </summary>
public sealed class ApiKeyCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (Principal? Principal, DateTime Until)> _entries = new(StringComparer.Ordinal);

    public (Principal? Principal, DateTime Until)? Find(string hash, DateTime now) =>
        _entries.TryGetValue(hash, out var entry) && entry.Until > now ? entry : null;

    public void Keep(string hash, Principal? principal, DateTime? expiresAt, DateTime now)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        var until = now + Lifetime;
        _entries[hash] = (principal, expiresAt is { } expires && expires < until ? expires : until);
    }

    public void Clear() => _entries.Clear();
}
