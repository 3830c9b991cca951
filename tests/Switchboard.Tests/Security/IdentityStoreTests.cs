using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Core.Common;
using Switchboard.Core.Security;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Security;

public sealed class IdentityStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Passwords_AreHashed_AndFiveWrongOnesLockTheAccountForAWhile(StorageProvider provider)
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var _store = store;
        using var _app = app;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var cache = new ApiKeyCache(); // shared across the test's calls, as the server shares it
        Task<T> With<T>(Func<IdentityStore, Task<T>> action) => app.WithDbAsync(db => action(new IdentityStore(db, clock, cache, Microsoft.Extensions.Logging.Abstractions.NullLogger<IdentityStore>.Instance)));

        var added = await With(s => s.AddUserAsync("agent-007", Role.Agent, "correct horse battery", Ct));
        Assert.Equal(("agent-007", Role.Agent), (added.Value.Name, added.Value.Role));
        Assert.Equal(ErrorKind.Conflict, (await With(s => s.AddUserAsync("agent-007", Role.Admin, "another long password", Ct))).Error?.Kind);
        var bad = await With(s => s.AddUserAsync("no spaces allowed", (Role)99, "short", Ct));
        Assert.Equal(["name", "password", "role"], bad.Error!.Fields!.Keys.Order());
        var stored = await app.WithDbAsync(db => db.Users.SingleAsync(Ct));
        Assert.DoesNotContain("correct horse", stored.PasswordHash, StringComparison.Ordinal);

        Assert.Equal(new Principal("agent-007", Role.Agent, "user"), (await With(s => s.SignInAsync("agent-007", "correct horse battery", Ct))).Value);
        // Unknown names and wrong passwords get the same answer.
        Assert.Equal("auth.invalid_credentials", (await With(s => s.SignInAsync("nobody", "correct horse battery", Ct))).Error?.Code);
        for (var i = 0; i < IdentityStore.MaxFailedSignIns; i++)
        {
            Assert.Equal("auth.invalid_credentials", (await With(s => s.SignInAsync("agent-007", "wrong password " + i, Ct))).Error?.Code);
        }
        // Locked: even the right password is refused, the same way, until the lockout ends.
        Assert.False((await With(s => s.SignInAsync("agent-007", "correct horse battery", Ct))).IsSuccess);
        clock.Advance(IdentityStore.Lockout + TimeSpan.FromSeconds(1));
        Assert.True((await With(s => s.SignInAsync("agent-007", "correct horse battery", Ct))).IsSuccess);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ApiKeys_AreShownOnceAndKeptHashed_RotateWithAnOverlap_AndRevokeAtOnce(StorageProvider provider)
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var _store = store;
        using var _app = app;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var cache = new ApiKeyCache(); // shared across the test's calls, as the server shares it
        Task<T> With<T>(Func<IdentityStore, Task<T>> action) => app.WithDbAsync(db => action(new IdentityStore(db, clock, cache, Microsoft.Extensions.Logging.Abstractions.NullLogger<IdentityStore>.Instance)));

        var first = (await With(s => s.CreateApiKeyAsync("pbx-shanghai", Role.Integration, null, Ct))).Value;
        Assert.Matches("^sbk_[A-Za-z0-9_-]{43}$", first.Key);
        Assert.Equal(first.Key[..8], first.View.Hint);
        Assert.False(await app.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.KeyHash == first.Key || k.KeyHash.Contains(first.Key.Substring(4, 20)), Ct)));
        Assert.Equal(new Principal("pbx-shanghai", Role.Integration, "apiKey"), await With(s => s.AuthenticateKeyAsync(first.Key, Ct)));
        Assert.Null(await With(s => s.AuthenticateKeyAsync(first.Key + "x", Ct)));
        Assert.Null(await With(s => s.AuthenticateKeyAsync("not-a-key", Ct)));

        // Rotation: both keys work during the overlap; then only the new one.
        var second = (await With(s => s.RotateApiKeyAsync("pbx-shanghai", TimeSpan.FromHours(24), Ct))).Value;
        Assert.Equal(Role.Integration, second.View.Role);
        Assert.NotNull(await With(s => s.AuthenticateKeyAsync(first.Key, Ct)));
        Assert.NotNull(await With(s => s.AuthenticateKeyAsync(second.Key, Ct)));
        clock.Advance(TimeSpan.FromHours(24));
        Assert.Null(await With(s => s.AuthenticateKeyAsync(first.Key, Ct)));
        Assert.NotNull(await With(s => s.AuthenticateKeyAsync(second.Key, Ct)));

        Assert.Equal(1, (await With(s => s.RevokeApiKeysAsync("pbx-shanghai", Ct))).Value);
        Assert.Null(await With(s => s.AuthenticateKeyAsync(second.Key, Ct)));
        Assert.Equal(ErrorKind.NotFound, (await With(s => s.RotateApiKeyAsync("pbx-shanghai", TimeSpan.Zero, Ct))).Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, (await With(s => s.RevokeApiKeysAsync("nobody", Ct))).Error?.Kind);

        var expiring = (await With(s => s.CreateApiKeyAsync("crm-sync", Role.Integration, clock.GetUtcNow().UtcDateTime.AddDays(1), Ct))).Value;
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await With(s => s.AuthenticateKeyAsync(expiring.Key, Ct)));
        Assert.Equal(["expiresAt"], (await With(s => s.CreateApiKeyAsync("x", Role.Agent, clock.GetUtcNow().UtcDateTime, Ct))).Error!.Fields!.Keys);

        // The trail records that keys were made, rotated and revoked, never the key or its hash.
        var trail = await app.WithDbAsync(db => db.AuditLog.Where(e => e.RecordType == "api_key").Select(e => new { e.Action, e.Detail }).ToListAsync(Ct));
        Assert.Equal(3, trail.Count(e => e.Action == Switchboard.Core.Audit.AuditAction.Create));
        Assert.All(trail, e => Assert.DoesNotContain(first.Key[4..], e.Detail, StringComparison.Ordinal));
        Assert.All(trail.Where(e => e.Action == Switchboard.Core.Audit.AuditAction.Create), e => Assert.Contains("\"KeyHash\":{\"before\":null,\"after\":\"(secret)\"}", e.Detail, StringComparison.Ordinal));
    }
}
