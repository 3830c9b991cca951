using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;
using Switchboard.Core.Telephony;

namespace Switchboard.Core.Outbox;

/// <summary>A webhook to make.</summary>
public sealed record WebhookInput(string? Name, string? Url, IReadOnlyList<string>? Events, Role? Role, int? MaxAttempts, string? BackupUrl = null);

/// <summary>A webhook as the API shows it (never its secret, except once when made).</summary>
public sealed record WebhookView(Guid Id, string Name, string Url, string? BackupUrl, IReadOnlyList<string> Events, Role Role, int MaxAttempts, bool Enabled, DateTime CreatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>
/// A REST connector to make: the CRM's base URL (and a backup one), how to authenticate (<c>none</c>, <c>bearer</c>
/// with a token, <c>basic</c> with <c>user:password</c>, <c>header</c> with <c>Name: value</c>), and its routes.
/// </summary>
public sealed record ConnectorInput(string? Name, string? Url, string? BackupUrl, ConnectorAuthScheme? Auth, string? Credential,
    IReadOnlyList<ConnectorRoute?>? Routes, Role? Role, int? MaxAttempts);

/// <summary>A connector as the API shows it (never its credential; its signing secret once when made).</summary>
public sealed record ConnectorView(Guid Id, string Name, string Url, string? BackupUrl, ConnectorAuthScheme Auth, IReadOnlyList<ConnectorRoute> Routes, Role Role,
    int MaxAttempts, bool Enabled, DateTime CreatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>A delivery as the API shows it.</summary>
public sealed record DeliveryView(long Id, long MessageId, string Type, Guid RecordId, DeliveryStatus Status, int Attempts, DateTime NextAttemptAt, DateTime? DeliveredAt, string? LastError);

/// <summary>A destination's state: its channel (as this node last saw it) and its queue.</summary>
public sealed record DestinationHealthView(Guid Id, string Name, DestinationKind Kind, bool Enabled, Channel Channel, DateTime? PausedUntil, int Pending, int Dead, DateTime? OldestPendingSince);

/// <summary>An alert as the API shows it.</summary>
public sealed record DeliveryAlertView(long Id, Guid DestinationId, string Destination, string Kind, Channel Channel, DateTime At, string Detail);

/// <summary>
/// Where the outbox delivers: webhooks and REST connectors made, listed, removed; their deliveries listed and
/// replayed; their alerts and health shown. Each API face works on its own kind (a connector's id is not a webhook).
/// </summary>
internal sealed class DestinationService(SwitchboardDbContext db, TimeProvider time, DestinationDirectory directory)
{
    private static readonly string[] Known = ["customer", "contact_point", "order", "ticket", "opportunity", "task", "interaction", "call"];

    public async Task<Result<WebhookView>> CreateAsync(WebhookInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckCommon(input.Name, input.Url, input.BackupUrl, input.MaxAttempts, input.Role, errors);
        var events = input.Events is { Count: > 0 } given ? given : ["*"];
        foreach (var wanted in events)
        {
            if (CheckEvent(wanted) is { } problem)
            {
                errors.Add("events", problem);
            }
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var destination = await AddAsync(input.Name!, DestinationKind.Webhook, input.Url!, input.BackupUrl, string.Join(',', events), input.Role, input.MaxAttempts,
            ConnectorAuthScheme.None, null, null, cancellationToken);
        return destination.IsSuccess ? WebhookOf(destination.Value) with { Secret = destination.Value.Secret } : destination.Error!;
    }

    public async Task<Result<ConnectorView>> CreateConnectorAsync(ConnectorInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckCommon(input.Name, input.Url, input.BackupUrl, input.MaxAttempts, input.Role, errors);
        var auth = input.Auth ?? ConnectorAuthScheme.None;
        if (!Enum.IsDefined(auth))
        {
            errors.Add("auth", "must be none, bearer, basic or header.");
        }
        else if (ConnectorAuth.Check(auth, input.Credential) is { } problem)
        {
            errors.Add("credential", problem);
        }
        var routes = ConnectorTemplate.Validate(input.Routes, errors, CheckEvent);
        if (errors.Any)
        {
            return errors.ToError();
        }
        var events = string.Join(',', routes.Select(r => r.Events));
        var destination = await AddAsync(input.Name!, DestinationKind.Rest, input.Url!, input.BackupUrl, events, input.Role, input.MaxAttempts,
            auth, auth == ConnectorAuthScheme.None ? null : input.Credential, ConnectorTemplate.Serialize(routes), cancellationToken);
        return destination.IsSuccess ? ConnectorOf(destination.Value) with { Secret = destination.Value.Secret } : destination.Error!;
    }

    internal static void CheckCommon(string? name, string? url, string? backupUrl, int? maxAttempts, Role? role, ValidationErrors errors)
    {
        errors.Required("name", name, Limits.Code);
        errors.Required("url", url, 2000);
        CheckUrl("url", url, errors);
        errors.MaxLength("backupUrl", backupUrl, 2000);
        CheckUrl("backupUrl", backupUrl, errors);
        if (backupUrl is not null && url is not null && Uri.TryCreate(url, UriKind.Absolute, out var primary) && Uri.TryCreate(backupUrl, UriKind.Absolute, out var backup)
            && string.Equals(primary.Authority, backup.Authority, StringComparison.OrdinalIgnoreCase) && primary.Scheme == backup.Scheme)
        {
            errors.Add("backupUrl", "must be another host or port than the primary: a circuit breaker is kept per host, and one host open would close both.");
        }
        if (maxAttempts is < 1 or > 50)
        {
            errors.Add("maxAttempts", "must be between 1 and 50.");
        }
        if (role is { } r && !Enum.IsDefined(r))
        {
            errors.Add("role", "is not a role.");
        }
    }

    private static void CheckUrl(string field, string? url, ValidationErrors errors)
    {
        if (url is not null && (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Fragment)))
        {
            errors.Add(field, "must be an absolute http or https URL without credentials or a fragment in it.");
        }
    }

    /// <summary>Why an event pattern is not one (<c>*</c>, <c>ticket.*</c>, <c>ticket.created</c>), or null.</summary>
    private static string? CheckEvent(string wanted)
    {
        var type = wanted.EndsWith(".*", StringComparison.Ordinal) ? wanted[..^2] : wanted.Split('.')[0];
        return wanted != "*" && (!Known.Contains(type) || wanted.Length > 64)
            ? $"'{(wanted.Length > 64 ? wanted[..64] : wanted)}' is not an event type: use *, a record type's (ticket.*), or one (ticket.created); record types: {string.Join(", ", Known)}."
            : null;
    }

    private async Task<Result<Destination>> AddAsync(string name, DestinationKind kind, string url, string? backupUrl, string events, Role? role, int? maxAttempts,
        ConnectorAuthScheme auth, string? credential, string? routes, CancellationToken cancellationToken)
    {
        if (await db.Destinations.AnyAsync(s => s.Name == name.Trim(), cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, "A webhook or connector with this name exists.");
        }
        var destination = new Destination
        {
            Id = Ids.New(time), Name = name.Trim(), Kind = kind, Url = url.Trim(), BackupUrl = backupUrl?.Trim(), Events = events, Secret = SourceSecrets.NewSecret(),
            AuthScheme = auth, Credential = credential, Routes = routes,
            Role = role ?? Role.Integration, MaxAttempts = maxAttempts ?? 8, CreatedAt = time.GetUtcNow().UtcDateTime, Version = 1,
        };
        db.Destinations.Add(destination);
        await db.SaveChangesAsync(cancellationToken);
        await directory.RefreshAsync(db, CancellationToken.None); // changes committed from now on route to it
        return destination;
    }

    public async Task<IReadOnlyList<WebhookView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Destinations.AsNoTracking().Where(d => d.Kind == DestinationKind.Webhook).OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(WebhookOf).ToList();

    public async Task<IReadOnlyList<ConnectorView>> ListConnectorsAsync(CancellationToken cancellationToken) =>
        (await db.Destinations.AsNoTracking().Where(d => d.Kind == DestinationKind.Rest).OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(ConnectorOf).ToList();

    public async Task<Result<bool>> DeleteAsync(DestinationKind kind, Guid id, CancellationToken cancellationToken)
    {
        var subscription = await db.Destinations.FirstOrDefaultAsync(s => s.Id == id && s.Kind == kind, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound(Noun(kind));
        }
        db.Destinations.Remove(subscription);
        await db.OutboxDeliveries.Where(d => d.DestinationId == id).ExecuteDeleteAsync(cancellationToken); // its queue goes with it
        await db.SaveChangesAsync(cancellationToken);
        await directory.RefreshAsync(db, CancellationToken.None);
        await db.OutboxDeliveries.Where(d => d.DestinationId == id).ExecuteDeleteAsync(CancellationToken.None); // and what was routed to it meanwhile
        return true;
    }

    public async Task<Result<IReadOnlyList<DeliveryView>>> DeliveriesAsync(DestinationKind kind, Guid id, DeliveryStatus? status, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Error.Validation("limit", "must be between 1 and 1000.");
        }
        if (!await db.Destinations.AnyAsync(s => s.Id == id && s.Kind == kind, cancellationToken))
        {
            return Error.NotFound(Noun(kind));
        }
        var query = db.OutboxDeliveries.AsNoTracking().Where(d => d.DestinationId == id && (status == null || d.Status == status) && d.Id > (after ?? 0));
        var rows = await (from d in query.OrderBy(d => d.Id).Take(limit ?? 100)
                          join m in db.OutboxMessages on d.MessageId equals m.Id
                          select new DeliveryView(d.Id, d.MessageId, m.Type, m.RecordId, d.Status, d.Attempts, d.NextAttemptAt, d.DeliveredAt, d.LastError))
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Sends again: one delivery (<paramref name="deliveryId"/>), every dead letter of the webhook, or every message it
    /// wants from <paramref name="since"/> on (made afresh where it never had them; with <paramref name="onlyMissing"/>,
    /// only those it never had: a node's catch-up for a destination another node made). Returns how many were queued.
    /// </summary>
    public async Task<Result<int>> ReplayAsync(DestinationKind kind, Guid id, long? deliveryId, DateTimeOffset? since, CancellationToken cancellationToken,
        bool onlyMissing = false, DateTimeOffset? until = null)
    {
        var subscription = await db.Destinations.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.Kind == kind, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound(Noun(kind));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var count = 0;
        if (since is { } from)
        {
            // Page by message id, a thousand at a time: bounded memory, and no statement with more parameters than
            // SQLite takes (EF sends a list's items as parameters).
            var after = 0L;
            while (true)
            {
                var end = (until ?? DateTimeOffset.MaxValue).UtcDateTime;
                var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.OccurredAt >= from.UtcDateTime && m.OccurredAt <= end && m.RoutedAt != null && m.Id > after)
                    .OrderBy(m => m.Id).Take(1_000).Select(m => new OutboxMessage { Id = m.Id, Type = m.Type, OrderKey = m.OrderKey, Actor = m.Actor }).ToListAsync(cancellationToken);
                if (messages.Count == 0)
                {
                    break;
                }
                var (first, last) = (messages[0].Id, messages[^1].Id);
                var existing = await db.OutboxDeliveries.Where(d => d.DestinationId == id && d.MessageId >= first && d.MessageId <= last)
                    .ToDictionaryAsync(d => d.MessageId, cancellationToken);
                foreach (var message in messages.Where(m => subscription.Takes(m)))
                {
                    if (existing.TryGetValue(message.Id, out var delivery))
                    {
                        if (onlyMissing)
                        {
                            continue;
                        }
                        DeliveryPlan.Replay(delivery, now);
                    }
                    else
                    {
                        db.OutboxDeliveries.Add(new OutboxDelivery { DestinationId = id, MessageId = message.Id, OrderKey = message.OrderKey, NextAttemptAt = now });
                    }
                    count++;
                }
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                after = last;
            }
            return count;
        }
        else
        {
            var replayed = await db.OutboxDeliveries
                .Where(d => d.DestinationId == id && (deliveryId == null ? d.Status == DeliveryStatus.Dead : d.Id == deliveryId)).ToListAsync(cancellationToken);
            if (deliveryId is not null && replayed.Count == 0)
            {
                return Error.NotFound("delivery");
            }
            replayed.ForEach(d => DeliveryPlan.Replay(d, now));
            count = replayed.Count;
        }
        await db.SaveChangesAsync(cancellationToken);
        return count;
    }

    /// <summary>Alerts after <paramref name="after"/>, oldest first.</summary>
    public async Task<Result<IReadOnlyList<DeliveryAlertView>>> AlertsAsync(long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Error.Validation("limit", "must be between 1 and 1000.");
        }
        var rows = await (from a in db.DeliveryAlerts.AsNoTracking().Where(a => a.Id > (after ?? 0)).OrderBy(a => a.Id).Take(limit ?? 100)
                          join d in db.Destinations on a.DestinationId equals d.Id into named
                          from d in named.DefaultIfEmpty()
                          select new DeliveryAlertView(a.Id, a.DestinationId, d == null ? "(removed)" : d.Name, a.Kind, a.Channel, a.At, a.Detail))
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>Every destination's channel (from <paramref name="channels"/>, this node's view) and queue.</summary>
    public async Task<IReadOnlyList<DestinationHealthView>> HealthAsync(Func<Guid, (Channel Channel, DateTime? PausedUntil)> channels, CancellationToken cancellationToken)
    {
        var destinations = await db.Destinations.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name, d.Kind, d.Enabled }).ToListAsync(cancellationToken);
        var queues = await db.OutboxDeliveries.AsNoTracking().Where(d => d.Status != DeliveryStatus.Delivered)
            .GroupBy(d => new { d.DestinationId, d.Status })
            .Select(g => new { g.Key.DestinationId, g.Key.Status, Count = g.Count(), Oldest = g.Min(d => d.MessageId) })
            .ToListAsync(cancellationToken);
        var oldestIds = queues.Where(q => q.Status == DeliveryStatus.Pending).Select(q => q.Oldest).ToList();
        var since = await db.OutboxMessages.AsNoTracking().Where(m => oldestIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.OccurredAt, cancellationToken);
        return destinations.Select(d =>
        {
            var pending = queues.FirstOrDefault(q => q.DestinationId == d.Id && q.Status == DeliveryStatus.Pending);
            var dead = queues.FirstOrDefault(q => q.DestinationId == d.Id && q.Status == DeliveryStatus.Dead);
            var (channel, paused) = channels(d.Id);
            return new DestinationHealthView(d.Id, d.Name, d.Kind, d.Enabled, channel, paused, pending?.Count ?? 0, dead?.Count ?? 0,
                pending is null ? null : since.GetValueOrDefault(pending.Oldest));
        }).ToList();
    }

    private static string Noun(DestinationKind kind) => kind == DestinationKind.Rest ? "connector" : "webhook";

    private static WebhookView WebhookOf(Destination s) =>
        new(s.Id, s.Name, s.Url, s.BackupUrl, s.Events.Split(','), s.Role, s.MaxAttempts, s.Enabled, s.CreatedAt);

    private static ConnectorView ConnectorOf(Destination s) =>
        new(s.Id, s.Name, s.Url, s.BackupUrl, s.AuthScheme, ConnectorTemplate.Parse(s.Routes), s.Role, s.MaxAttempts, s.Enabled, s.CreatedAt);
}
