using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;
using Switchboard.Core.Telephony;

namespace Switchboard.Core.Outbox;

/// <summary>A webhook to make.</summary>
public sealed record WebhookInput(string? Name, string? Url, IReadOnlyList<string>? Events, Role? Role, int? MaxAttempts);

/// <summary>A webhook as the API shows it (never its secret, except once when made).</summary>
public sealed record WebhookView(Guid Id, string Name, string Url, IReadOnlyList<string> Events, Role Role, int MaxAttempts, bool Enabled, DateTime CreatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>A delivery as the API shows it.</summary>
public sealed record DeliveryView(long Id, long MessageId, string Type, Guid RecordId, DeliveryStatus Status, int Attempts, DateTime NextAttemptAt, DateTime? DeliveredAt, string? LastError);

/// <summary>Outbound webhooks: made, listed, removed; their deliveries listed and replayed.</summary>
internal sealed class WebhookService(SwitchboardDbContext db, TimeProvider time)
{
    private static readonly string[] Known = ["customer", "contact_point", "order", "ticket", "opportunity", "task", "interaction", "call"];

    public async Task<Result<WebhookView>> CreateAsync(WebhookInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("name", input.Name, Limits.Code);
        errors.Required("url", input.Url, 2000);
        if (input.Url is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            errors.Add("url", "must be an absolute http or https URL without credentials in it.");
        }
        var events = input.Events is { Count: > 0 } given ? given : ["*"];
        foreach (var wanted in events)
        {
            var type = wanted.EndsWith(".*", StringComparison.Ordinal) ? wanted[..^2] : wanted.Split('.')[0];
            if (wanted != "*" && (!Known.Contains(type) || wanted.Length > 64))
            {
                errors.Add("events", $"'{(wanted.Length > 64 ? wanted[..64] : wanted)}' is not an event type: use *, a record type's (ticket.*), or one (ticket.created); record types: {string.Join(", ", Known)}.");
            }
        }
        if (input.MaxAttempts is < 1 or > 50)
        {
            errors.Add("maxAttempts", "must be between 1 and 50.");
        }
        if (input.Role is { } role && !Enum.IsDefined(role))
        {
            errors.Add("role", "is not a role.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        if (await db.WebhookSubscriptions.AnyAsync(s => s.Name == input.Name!.Trim(), cancellationToken))
        {
            return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, "A webhook with this name exists.");
        }
        var subscription = new WebhookSubscription
        {
            Id = Ids.New(time), Name = input.Name!.Trim(), Url = input.Url!.Trim(), Events = string.Join(',', events), Secret = SourceSecrets.NewSecret(),
            Role = input.Role ?? Role.Integration, MaxAttempts = input.MaxAttempts ?? 8, CreatedAt = time.GetUtcNow().UtcDateTime, Version = 1,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return View(subscription) with { Secret = subscription.Secret };
    }

    public async Task<IReadOnlyList<WebhookView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(View).ToList();

    public async Task<Result<bool>> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("webhook");
        }
        db.WebhookSubscriptions.Remove(subscription);
        await db.OutboxDeliveries.Where(d => d.DestinationId == id).ExecuteDeleteAsync(cancellationToken); // its queue goes with it
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<Result<IReadOnlyList<DeliveryView>>> DeliveriesAsync(Guid id, DeliveryStatus? status, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Error.Validation("limit", "must be between 1 and 1000.");
        }
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return Error.NotFound("webhook");
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
    /// wants from <paramref name="since"/> on (made afresh where it never had them). Returns how many were queued.
    /// </summary>
    public async Task<Result<int>> ReplayAsync(Guid id, long? deliveryId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("webhook");
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
                var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.OccurredAt >= from.UtcDateTime && m.RoutedAt != null && m.Id > after)
                    .OrderBy(m => m.Id).Take(1_000).Select(m => new { m.Id, m.Type, m.OrderKey }).ToListAsync(cancellationToken);
                if (messages.Count == 0)
                {
                    break;
                }
                var (first, last) = (messages[0].Id, messages[^1].Id);
                var existing = await db.OutboxDeliveries.Where(d => d.DestinationId == id && d.MessageId >= first && d.MessageId <= last)
                    .ToDictionaryAsync(d => d.MessageId, cancellationToken);
                foreach (var message in messages.Where(m => subscription.Wants(m.Type)))
                {
                    if (existing.TryGetValue(message.Id, out var delivery))
                    {
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

    private static WebhookView View(WebhookSubscription s) =>
        new(s.Id, s.Name, s.Url, s.Events.Split(','), s.Role, s.MaxAttempts, s.Enabled, s.CreatedAt);
}
