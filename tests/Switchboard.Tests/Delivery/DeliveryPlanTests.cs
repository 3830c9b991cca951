using CsCheck;
using Switchboard.Core.Outbox;

namespace Switchboard.Tests.Delivery;

/// <summary>The pure rules of delivery, against a model: whatever fails and whenever, each key's messages arrive in order, once, or go dead and let the key move on.</summary>
public sealed class DeliveryPlanTests
{
    [Fact]
    public void WhateverFails_EachKeysMessagesAreDelivered_InOrder_AndDeadLettersLetTheKeyMoveOn() =>
        Gen.Select(Gen.Int[1, 60], Gen.Int[1, 6], Gen.Int[1, 5], Gen.Int[0, 100]).Sample((messages, keys, maxAttempts, failPercent) =>
        {
            var random = new Random(messages * 7919 + keys * 31 + maxAttempts * 7 + failPercent);
            var deliveries = Enumerable.Range(1, messages).Select(i => new OutboxDelivery
            {
                Id = i, MessageId = i, OrderKey = "k" + random.Next(keys), Status = DeliveryStatus.Pending, NextAttemptAt = DateTime.UnixEpoch,
            }).ToList();
            var now = DateTime.UnixEpoch;
            var arrived = new List<OutboxDelivery>();
            for (var round = 0; round < 10_000 && deliveries.Any(d => d.Status == DeliveryStatus.Pending); round++)
            {
                var lanes = DeliveryPlan.Lanes(deliveries, now);
                Assert.Equal(lanes.Count, lanes.Select(l => l[0].OrderKey).Distinct().Count()); // one lane per key
                foreach (var lane in lanes)
                {
                    // A lane starts at its key's oldest pending message: nothing older of that key is still waiting.
                    Assert.DoesNotContain(deliveries, d => d.OrderKey == lane[0].OrderKey && d.Status == DeliveryStatus.Pending && d.MessageId < lane[0].MessageId);
                    foreach (var delivery in lane)
                    {
                        var outcome = random.Next(100) < failPercent ? AttemptOutcome.Failed : AttemptOutcome.Delivered;
                        DeliveryPlan.Apply(delivery, outcome, now, maxAttempts, random.NextDouble(), error: "500");
                        if (outcome == AttemptOutcome.Delivered)
                        {
                            arrived.Add(delivery);
                        }
                        else if (delivery.Status != DeliveryStatus.Dead)
                        {
                            break;
                        }
                    }
                }
                now = now.AddHours(2); // past every backoff
            }
            Assert.DoesNotContain(deliveries, d => d.Status == DeliveryStatus.Pending);
            Assert.Equal(arrived.Count, arrived.Distinct().Count()); // each delivered once
            foreach (var key in arrived.GroupBy(d => d.OrderKey))
            {
                Assert.Equal(key.Select(d => d.MessageId).Order(), key.Select(d => d.MessageId)); // in message order per key
            }
            Assert.All(deliveries.Where(d => d.Status == DeliveryStatus.Dead), d => Assert.Equal(maxAttempts, d.Attempts));
            Assert.Equal(messages, arrived.Count + deliveries.Count(d => d.Status == DeliveryStatus.Dead)); // none lost
        });

    [Fact]
    public void AMessageWaitingForItsRetry_HoldsBackItsKeyOnly_AndADeferralCostsNoAttempt()
    {
        var now = DateTime.UnixEpoch.AddDays(1);
        OutboxDelivery D(long id, string key, DateTime next) => new() { Id = id, MessageId = id, OrderKey = key, NextAttemptAt = next };
        var lanes = DeliveryPlan.Lanes([D(1, "a", now.AddSeconds(5)), D(2, "a", now), D(3, "b", now), D(4, "b", now)], now);
        var lane = Assert.Single(lanes);
        Assert.Equal([3L, 4L], lane.Select(d => d.MessageId));

        var deferred = D(9, "c", now);
        DeliveryPlan.Apply(deferred, AttemptOutcome.Deferred, now, 3, 0.5, TimeSpan.FromSeconds(30));
        Assert.Equal((0, now.AddSeconds(30), DeliveryStatus.Pending), (deferred.Attempts, deferred.NextAttemptAt, deferred.Status));
        var failed = D(10, "c", now);
        DeliveryPlan.Apply(failed, AttemptOutcome.Failed, now, 3, 0.5, TimeSpan.FromMinutes(2)); // Retry-After longer than the backoff wins
        Assert.Equal((1, now.AddMinutes(2)), (failed.Attempts, failed.NextAttemptAt));
        Assert.Equal(TimeSpan.FromSeconds(5), DeliveryPlan.Backoff(1, 0.5, DeliveryPlan.FirstRetry));
        Assert.Equal(TimeSpan.FromHours(1), DeliveryPlan.Backoff(40, 0.5, DeliveryPlan.FirstRetry));
    }
}
