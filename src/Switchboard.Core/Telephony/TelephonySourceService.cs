using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Telephony;

/// <summary>Telephony sources: managed by operators, looked up by token or name on every event (cached briefly).</summary>
internal sealed class TelephonySourceService(SwitchboardDbContext db, TimeProvider time, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<Result<TelephonySourceCredentials>> CreateAsync(TelephonySourceInput input, CancellationToken cancellationToken)
    {
        var errors = Validate(input);
        if (input.Kind is null)
        {
            errors.Add("kind", $"is required: one of {string.Join(", ", Enum.GetNames<TelephonySourceKind>())}.");
        }
        if (input.Kind is TelephonySourceKind.Twilio or TelephonySourceKind.Asterisk)
        {
            errors.Required("account", input.Account, Limits.Code);
            errors.Required("signingSecret", input.SigningSecret, 64);
        }
        if (input.Kind == TelephonySourceKind.Asterisk)
        {
            errors.Required("endpoint", input.Endpoint, Limits.Code);
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var name = input.Name!.Trim();
        if (await db.TelephonySources.AnyAsync(s => s.Name == name, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, "A telephony source with this name exists.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var token = SourceSecrets.NewSecret();
        var source = new TelephonySource
        {
            Id = Ids.New(time), Name = name, Kind = input.Kind!.Value, TokenHash = SourceSecrets.Hash(token),
            SigningSecret = input.Kind is TelephonySourceKind.Twilio or TelephonySourceKind.Asterisk ? input.SigningSecret!.Trim() : SourceSecrets.NewSecret(),
            CreatedAt = now, UpdatedAt = now,
        };
        Apply(input, source);
        db.TelephonySources.Add(source);
        return await RecordChanges.SaveAsync(db, "telephony_source", cancellationToken) is { } error
            ? error
            : new TelephonySourceCredentials(ToView(source), token, source.SigningSecret);
    }

    /// <summary>The enabled Asterisk sources, with what it takes to connect to them.</summary>
    public async Task<IReadOnlyList<TelephonySource>> AsteriskSourcesAsync(CancellationToken cancellationToken) =>
        await db.TelephonySources.AsNoTracking().Where(s => s.Kind == TelephonySourceKind.Asterisk && s.Enabled).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<TelephonySourceView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.TelephonySources.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(ToView).ToList();

    public async Task<Result<TelephonySourceView>> GetAsync(string name, CancellationToken cancellationToken) =>
        await db.TelephonySources.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken) is { } source
            ? ToView(source)
            : Error.NotFound("telephony_source");

    public async Task<Result<TelephonySourceView>> ReplaceAsync(string name, long? version, TelephonySourceInput input, CancellationToken cancellationToken)
    {
        var errors = Validate(input with { Name = input.Name ?? name });
        if (version is null)
        {
            errors.Add("version", "is required to replace a record: send the version you read, in the body or in If-Match.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var source = await db.TelephonySources.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (source is null)
        {
            return Error.NotFound("telephony_source");
        }
        if (source.Version != version)
        {
            return Error.StaleVersion("telephony_source");
        }
        if ((input.Kind is { } kind && kind != source.Kind) || (input.Name is { } newName && newName.Trim() != source.Name))
        {
            return Error.Validation(input.Kind is not null && input.Kind != source.Kind ? "kind" : "name", "cannot change; make a new source instead.");
        }
        Apply(input, source);
        RecordChanges.Bump(db, source, version.Value, time);
        return await SaveAndForgetAsync(source, cancellationToken);
    }

    /// <summary>New token and signing secret; the old ones stop working at once.</summary>
    public async Task<Result<TelephonySourceCredentials>> RotateAsync(string name, CancellationToken cancellationToken)
    {
        var source = await db.TelephonySources.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (source is null)
        {
            return Error.NotFound("telephony_source");
        }
        var oldHash = source.TokenHash;
        var token = SourceSecrets.NewSecret();
        source.TokenHash = SourceSecrets.Hash(token);
        if (source.Kind is not (TelephonySourceKind.Twilio or TelephonySourceKind.Asterisk))
        {
            // A Twilio or Asterisk source's secret is theirs (Auth Token, AMI secret): change it there, then PUT it here.
            source.SigningSecret = SourceSecrets.NewSecret();
        }
        RecordChanges.Bump(db, source, source.Version, time);
        cache.Remove(TokenKey(oldHash));
        var saved = await SaveAndForgetAsync(source, cancellationToken);
        return saved.IsSuccess ? new TelephonySourceCredentials(saved.Value, token, source.SigningSecret) : saved.Error;
    }

    public async Task<Result<bool>> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var source = await db.TelephonySources.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (source is null)
        {
            return Error.NotFound("telephony_source");
        }
        db.TelephonySources.Remove(source);
        Forget(source);
        return await RecordChanges.SaveAsync(db, "telephony_source", cancellationToken) is { } error ? error : true;
    }

    /// <summary>The enabled source a token belongs to; null for an unknown or disabled token.</summary>
    public Task<TelephonySource?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = SourceSecrets.Hash(token);
        return CachedAsync(TokenKey(hash), s => s.TokenHash == hash && s.Enabled, cancellationToken);
    }

    /// <summary>The enabled Twilio source of this AccountSid; null when there is none.</summary>
    public Task<TelephonySource?> FindTwilioAsync(string accountSid, CancellationToken cancellationToken) =>
        CachedAsync(TwilioKey(accountSid), s => s.Kind == TelephonySourceKind.Twilio && s.Account == accountSid && s.Enabled, cancellationToken);

    /// <summary>The enabled source with this name; null when there is none.</summary>
    public Task<TelephonySource?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        CachedAsync(NameKey(name), s => s.Name == name && s.Enabled, cancellationToken);

    /// <summary>
    /// Found sources are cached briefly (every event looks its source up); misses are not, so requests with made-up
    /// tokens cannot fill the cache.
    /// </summary>
    private async Task<TelephonySource?> CachedAsync(string key, System.Linq.Expressions.Expression<Func<TelephonySource, bool>> match, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(key, out TelephonySource? cached))
        {
            return cached;
        }
        var source = await db.TelephonySources.AsNoTracking().FirstOrDefaultAsync(match, cancellationToken);
        if (source is not null)
        {
            cache.Set(key, source, CacheFor);
        }
        return source;
    }

    private async Task<Result<TelephonySourceView>> SaveAndForgetAsync(TelephonySource source, CancellationToken cancellationToken)
    {
        Forget(source);
        return await RecordChanges.SaveAsync(db, "telephony_source", cancellationToken) is { } error ? error : ToView(source);
    }

    private void Forget(TelephonySource source)
    {
        cache.Remove(TokenKey(source.TokenHash));
        cache.Remove(NameKey(source.Name));
        cache.Remove(TwilioKey(source.Account));
    }

    private static ValidationErrors Validate(TelephonySourceInput input)
    {
        var errors = new ValidationErrors();
        errors.Required("name", input.Name, Limits.Code);
        if (input.Name is { } name && !name.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add("name", "may hold only letters, digits, '-', '_' and '.'.");
        }
        if (input.Kind is { } kind)
        {
            errors.Defined("kind", kind);
        }
        errors.MaxLength("defaultQueue", input.DefaultQueue, Limits.Code);
        errors.MaxLength("account", input.Account, Limits.Code);
        errors.MaxLength("endpoint", input.Endpoint, Limits.Code);
        if (input.Extensions is { } extensions)
        {
            if (extensions.Count > 10_000)
            {
                errors.Add("extensions", "must hold at most 10,000 entries.");
            }
            foreach (var (extension, agent) in extensions)
            {
                if (string.IsNullOrWhiteSpace(extension) || extension.Length > Limits.Code || string.IsNullOrWhiteSpace(agent) || agent.Length > Limits.Code)
                {
                    errors.Add("extensions", "maps non-empty extensions to non-empty agent ids, each at most 64 characters.");
                    break;
                }
            }
        }
        return errors;
    }

    private static void Apply(TelephonySourceInput input, TelephonySource source)
    {
        source.DefaultQueue = string.IsNullOrWhiteSpace(input.DefaultQueue) ? null : input.DefaultQueue.Trim();
        source.Account = string.IsNullOrWhiteSpace(input.Account) ? source.Account : input.Account.Trim();
        source.Endpoint = string.IsNullOrWhiteSpace(input.Endpoint) ? source.Endpoint : input.Endpoint.Trim();
        if ((source.Kind is TelephonySourceKind.Twilio or TelephonySourceKind.Asterisk) && !string.IsNullOrWhiteSpace(input.SigningSecret))
        {
            source.SigningSecret = input.SigningSecret.Trim();
        }
        source.Extensions = input.Extensions?.ToDictionary(e => e.Key.Trim(), e => e.Value.Trim(), StringComparer.Ordinal) ?? [];
        source.Enabled = input.Enabled ?? true;
    }

    private static TelephonySourceView ToView(TelephonySource s) =>
        new(s.Id, s.Name, s.Kind, s.Account, s.Endpoint, s.DefaultQueue, s.Extensions, s.Enabled, s.Version, s.CreatedAt, s.UpdatedAt);

    private static string TokenKey(string hash) => "telephony-source:token:" + hash;

    private static string NameKey(string name) => "telephony-source:name:" + name;

    private static string TwilioKey(string? account) => "telephony-source:twilio:" + account;
}
