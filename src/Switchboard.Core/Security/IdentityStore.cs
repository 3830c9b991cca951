using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Security;

/// <summary>
/// Local users and API keys: passwords hashed with ASP.NET Core Identity's hasher, locked for 15 minutes after 5
/// wrong ones in a row; API keys of 32 random bytes (<c>sbk_…</c>), kept as SHA-256 (a key is already high-entropy,
/// so a fast hash is enough and look-up is by hash), rotated with an overlap, revoked at once.
/// </summary>
public sealed partial class IdentityStore(SwitchboardDbContext db, TimeProvider time, ApiKeyCache cache, ILogger<IdentityStore> logger)
{
    public const int MaxFailedSignIns = 5;
    public const int MinPasswordLength = 12;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    private const string KeyPrefix = "sbk_";
    private static readonly PasswordHasher<UserAccount> Hasher = new();

    /// <summary>A hash to verify against when the user does not exist, so an unknown name takes as long as a wrong password.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(new UserAccount(), "not a password anyone has");

    public async Task<Result<UserView>> AddUserAsync(string? name, Role? role, string? password, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        ValidateNameAndRole(errors, name, role);
        if (password is null || password.Length < MinPasswordLength || password.Length > 256)
        {
            errors.Add("password", $"must be {MinPasswordLength}–256 characters.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        if (await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, $"A user named '{name}' exists.");
        }
        var user = new UserAccount { Id = Ids.New(time), Name = name!, Role = role!.Value, CreatedAt = Now() };
        user.PasswordHash = Hasher.HashPassword(user, password!);
        db.Users.Add(user);
        return await RecordChanges.SaveAsync(db, "user", cancellationToken) is { } error ? error : View(user);
    }

    /// <summary>
    /// Checks a name and password. Unknown names, wrong passwords and locked accounts are all the same 401 to the
    /// caller (nothing says which); the account is locked after <see cref="MaxFailedSignIns"/> wrong passwords in a row.
    /// </summary>
    public async Task<Result<Principal>> SignInAsync(string? name, string? password, CancellationToken cancellationToken)
    {
        var refused = new Error(ErrorKind.Unauthorized, "auth.invalid_credentials", "The name or password is wrong, or the account is locked for a while.");
        if (string.IsNullOrEmpty(name) || name.Length > 64 || string.IsNullOrEmpty(password) || password.Length > 256)
        {
            return refused;
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(new UserAccount(), DecoyHash, password);
            return refused;
        }
        var now = Now();
        if (user.LockedUntil > now)
        {
            return refused;
        }
        var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= MaxFailedSignIns)
            {
                (user.LockedUntil, user.FailedSignIns) = (now + Lockout, 0);
                Log.LockedOut(logger, user.Name, (int)Lockout.TotalMinutes); // the name is redacted: a keyed hash, the same for each line about it
            }
            else
            {
                Log.WrongPassword(logger, user.Name, user.FailedSignIns);
            }
            await db.SaveChangesAsync(cancellationToken);
            return refused;
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }
        (user.FailedSignIns, user.LockedUntil) = (0, null);
        await db.SaveChangesAsync(cancellationToken);
        return new Principal(user.Name, user.Role, "user");
    }

    public async Task<Result<NewApiKey>> CreateApiKeyAsync(string? name, Role? role, DateTime? expiresAt, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        ValidateNameAndRole(errors, name, role);
        if (expiresAt <= Now())
        {
            errors.Add("expiresAt", "must be in the future.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new ApiKeyRecord
        {
            Id = Ids.New(time), Name = name!, Role = role!.Value, KeyHash = Hash(key), Hint = key[..8], CreatedAt = Now(), ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return new NewApiKey(key, View(record));
    }

    /// <summary>
    /// A new key for the system <paramref name="name"/>, with the role of its newest key; its current keys keep
    /// working for <paramref name="overlap"/> (so the system can switch without an outage), then expire.
    /// </summary>
    public async Task<Result<NewApiKey>> RotateApiKeyAsync(string name, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var now = Now();
        var current = await db.ApiKeys.Where(k => k.Name == name && k.RevokedAt == null).ToListAsync(cancellationToken);
        current.RemoveAll(k => k.ExpiresAt <= now);
        if (current.Count == 0)
        {
            return Error.NotFound("API key");
        }
        if (overlap < TimeSpan.Zero || overlap > TimeSpan.FromDays(30))
        {
            return Error.Validation("overlap", "must be between 0 and 30 days.");
        }
        foreach (var old in current)
        {
            old.ExpiresAt = old.ExpiresAt is { } expires && expires < now + overlap ? expires : now + overlap;
        }
        await db.SaveChangesAsync(cancellationToken);
        cache.Clear();
        return await CreateApiKeyAsync(name, current.MaxBy(k => k.CreatedAt)!.Role, null, cancellationToken);
    }

    /// <summary>Every key of the system <paramref name="name"/> still in use stops working now.</summary>
    public async Task<Result<int>> RevokeApiKeysAsync(string name, CancellationToken cancellationToken)
    {
        var now = Now();
        var keys = await db.ApiKeys.Where(k => k.Name == name && k.RevokedAt == null).ToListAsync(cancellationToken);
        keys.RemoveAll(k => k.ExpiresAt <= now); // already out of use
        if (keys.Count == 0)
        {
            return Error.NotFound("API key");
        }
        keys.ForEach(k => k.RevokedAt = now);
        await db.SaveChangesAsync(cancellationToken);
        cache.Clear();
        return keys.Count;
    }

    /// <summary>The system a key belongs to, if the key is known, not revoked and not expired.</summary>
    public async Task<Principal?> AuthenticateKeyAsync(string? key, CancellationToken cancellationToken)
    {
        if (key is null || !key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }
        var hash = Hash(key);
        var now = Now();
        if (cache.Find(hash, now) is { } known)
        {
            return known.Principal;
        }
        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, cancellationToken);
        var principal = record is { RevokedAt: null } && !(record.ExpiresAt <= now) ? new Principal(record.Name, record.Role, "apiKey") : null;
        cache.Keep(hash, principal, record?.ExpiresAt, now);
        return principal;
    }

    public async Task<IReadOnlyList<ApiKeyView>> ApiKeysAsync(CancellationToken cancellationToken) =>
        [.. (await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ThenBy(k => k.CreatedAt).ToListAsync(cancellationToken)).Select(View)];

    /// <summary>A user's or a key's name, and a role that exists.</summary>
    private static void ValidateNameAndRole(ValidationErrors errors, string? name, Role? role)
    {
        if (string.IsNullOrWhiteSpace(name) || !NamePattern().IsMatch(name))
        {
            errors.Add("name", "must be 1–64 letters, digits, '.', '-', '_' or '@'.");
        }
        if (role is null || !Enum.IsDefined(role.Value))
        {
            errors.Add("role", $"must be one of {string.Join(", ", Enum.GetNames<Role>())}.");
        }
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static UserView View(UserAccount user) => new(user.Id, user.Name, user.Role, user.CreatedAt, user.LockedUntil);

    private static ApiKeyView View(ApiKeyRecord key) => new(key.Id, key.Name, key.Role, key.Hint, key.CreatedAt, key.ExpiresAt, key.RevokedAt);

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Sign-in refused for account {Account}: wrong password ({Failures} in a row)")]
        public static partial void WrongPassword(ILogger logger, [Diagnostics.PersonalData] string account, int failures);

        [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Account {Account} locked for {Minutes} minutes after repeated wrong passwords")]
        public static partial void LockedOut(ILogger logger, [Diagnostics.PersonalData] string account, int minutes);
    }
}
