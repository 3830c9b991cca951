namespace Switchboard.Core.Outbox;

/// <summary>What an attempt to deliver one message came to.</summary>
public enum AttemptOutcome
{
    /// <summary>The receiver took it (2xx).</summary>
    Delivered,

    /// <summary>It failed (an error status, a timeout, a refused connection): counted, retried later.</summary>
    Failed,

    /// <summary>Not tried: the destination is resting (its circuit is open) or asked to wait (429/503 Retry-After); not counted.</summary>
    Deferred,
}

/// <summary>
/// The pure rules of delivery, apart from any I/O (property-tested): which pending deliveries to attempt now, in what
/// lanes, and what an attempt's outcome makes of a delivery. Order: for one <see cref="OutboxDelivery.OrderKey"/>,
/// messages go in message order, one at a time, and a message waiting for a retry holds back the later ones of its
/// key (but no other key); a message that has used all its attempts goes to the dead letters, and its key moves on.
/// </summary>
public static class DeliveryPlan
{
    /// <summary>The first retry's wait unless configured (<c>Outbox:FirstRetryMilliseconds</c>).</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts unless configured (<c>Outbox:MaxRetryMilliseconds</c>).</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromHours(1);

    /// <summary>After <paramref name="first"/>, doubling to at most <paramref name="max"/> (default an hour), each ±50% at random (so many failures do not retry in step).</summary>
    public static TimeSpan Backoff(int attempts, double random, TimeSpan first, TimeSpan? max = null) =>
        TimeSpan.FromMilliseconds(Math.Min((max ?? MaxRetry).TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(40, Math.Max(0, attempts - 1)))) * (0.5 + random));

    /// <summary>
    /// From pending deliveries in message order, the lanes to attempt now: one lane per order key, each the key's due
    /// messages from its oldest pending one on, in order. A key whose oldest pending message is not due yet gets no lane.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<OutboxDelivery>> Lanes(IEnumerable<OutboxDelivery> pendingInMessageOrder, DateTime now)
    {
        var lanes = new Dictionary<string, List<OutboxDelivery>>(StringComparer.Ordinal);
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var delivery in pendingInMessageOrder)
        {
            if (delivery.Status != DeliveryStatus.Pending || held.Contains(delivery.OrderKey))
            {
                continue;
            }
            if (delivery.NextAttemptAt > now)
            {
                held.Add(delivery.OrderKey); // waiting for its retry: nothing after it on this key goes first
                continue;
            }
            if (!lanes.TryGetValue(delivery.OrderKey, out var lane))
            {
                lanes[delivery.OrderKey] = lane = [];
            }
            lane.Add(delivery);
        }
        return [.. lanes.Values];
    }

    /// <summary>Applies an attempt's outcome to the delivery.</summary>
    /// <param name="delivery">The delivery attempted.</param>
    /// <param name="outcome">What the attempt came to.</param>
    /// <param name="now">When it ended.</param>
    /// <param name="maxAttempts">Attempts before the dead letters.</param>
    /// <param name="random">A number in [0, 1) for the jitter.</param>
    /// <param name="wait">For <see cref="AttemptOutcome.Deferred"/>: how long the destination asked to wait, or rests.</param>
    /// <param name="error">For a failure: what went wrong (a status and reason, an exception type).</param>
    /// <param name="firstRetry">The first retry's wait (default <see cref="FirstRetry"/>).</param>
    /// <param name="maxRetry">The longest wait (default <see cref="MaxRetry"/>).</param>
    public static void Apply(OutboxDelivery delivery, AttemptOutcome outcome, DateTime now, int maxAttempts, double random, TimeSpan wait = default, string? error = null,
        TimeSpan? firstRetry = null, TimeSpan? maxRetry = null)
    {
        switch (outcome)
        {
            case AttemptOutcome.Delivered:
                delivery.Attempts++;
                (delivery.Status, delivery.DeliveredAt, delivery.LastError) = (DeliveryStatus.Delivered, now, null);
                break;
            case AttemptOutcome.Failed:
                delivery.Attempts++;
                delivery.LastError = error is { Length: > 500 } ? error[..500] : error;
                if (delivery.Attempts >= maxAttempts)
                {
                    delivery.Status = DeliveryStatus.Dead;
                }
                else
                {
                    var backoff = Backoff(delivery.Attempts, random, firstRetry ?? FirstRetry, maxRetry);
                    delivery.NextAttemptAt = now + (wait > backoff ? wait : backoff);
                }
                break;
            case AttemptOutcome.Deferred:
                delivery.NextAttemptAt = now + (wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
                break;
        }
    }

    /// <summary>A dead (or delivered) delivery sent again: pending now, with its attempts counted afresh.</summary>
    public static void Replay(OutboxDelivery delivery, DateTime now) =>
        (delivery.Status, delivery.Attempts, delivery.NextAttemptAt, delivery.DeliveredAt, delivery.LastError) = (DeliveryStatus.Pending, 0, now, null, null);
}
