using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Tests.Core;

public sealed class PopContextCacheTests
{
    private static readonly Guid Person = Guid.CreateVersion7();
    private static readonly Guid Company = Guid.CreateVersion7();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private PopContextCache Cache(int ttlSeconds = 30) => new(Options.Create(new ScreenPopOptions { ContextTtlSeconds = ttlSeconds }), _time);

    private static PopContext Single(MatchReason reason = MatchReason.ExactNumber) => new(
        new CallerIdentification(IdentificationKind.Single, "13800138000", "+8613800138000",
            [new CallerCandidate(Person, "张伟", CustomerKind.Person, ValueTier.Vip, Company, null, null, reason)], "The number is this customer's."),
        new PopCustomer(Person, "张伟", CustomerKind.Person, ValueTier.Vip, LifecycleStage.Active, [], null, null, null, null, Company, "示例科技", [], [], [], []));

    [Fact]
    public void AContext_IsServedUntilItsTtl()
    {
        using var cache = Cache();
        cache.Set("13800138000", Single(), cache.Generation);
        Assert.True(cache.TryGet("13800138000", out var context));
        Assert.Equal(Person, context.Customer!.Id);
        Assert.False(cache.TryGet("13900139000", out _));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(cache.TryGet("13800138000", out _));
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("company")]
    [InlineData("number")]
    public void AChangeToAnythingTheContextShows_MakesItStale(string changed)
    {
        using var cache = Cache();
        cache.Set("13800138000", Single(), cache.Generation);
        cache.Invalidate([Guid.CreateVersion7()], ["+8613900139000"]); // someone else's change
        Assert.True(cache.TryGet("13800138000", out _));

        cache.Invalidate(changed switch { "customer" => [Person], "company" => [Company], _ => [] }, changed == "number" ? ["+8613800138000"] : []);

        Assert.False(cache.TryGet("13800138000", out _));
        // Composed again after the change, it is served again.
        cache.Set("13800138000", Single(), cache.Generation);
        Assert.True(cache.TryGet("13800138000", out _));
    }

    [Fact]
    public void AChangeCommittedWhileComposing_KeepsTheContextOut()
    {
        using var cache = Cache();
        var before = cache.Generation; // read, then the replica is read...
        cache.Invalidate([Person], []); // ...while a change to the customer commits
        cache.Set("13800138000", Single(), before);
        Assert.False(cache.TryGet("13800138000", out _));
    }

    [Fact]
    public void UnknownCallersAndLastDigitMatches_AreNotKept_NorAnythingWhenTurnedOff()
    {
        using var cache = Cache();
        cache.Set("1", Single(MatchReason.LastDigits), cache.Generation);
        cache.Set("2", new PopContext(new CallerIdentification(IdentificationKind.Unknown, "2", null, [], "No customer has this number."), null), cache.Generation);
        Assert.False(cache.TryGet("1", out _));
        Assert.False(cache.TryGet("2", out _));

        using var off = Cache(ttlSeconds: 0);
        off.Set("13800138000", Single(), off.Generation);
        Assert.False(off.Enabled);
        Assert.False(off.TryGet("13800138000", out _));
    }

    [Fact]
    public void OldChanges_AreForgotten_WithoutServingWhatTheyMadeStale()
    {
        using var cache = Cache();
        cache.Set("13800138000", Single(), cache.Generation);
        cache.Invalidate([Person], []);
        _time.Advance(TimeSpan.FromSeconds(31));
        cache.Invalidate([Guid.CreateVersion7()], []); // prunes the change to Person, now older than the TTL
        Assert.False(cache.TryGet("13800138000", out _)); // the stale entry expired with it
        cache.Set("13800138000", Single(), cache.Generation);
        Assert.True(cache.TryGet("13800138000", out _));
    }
}
