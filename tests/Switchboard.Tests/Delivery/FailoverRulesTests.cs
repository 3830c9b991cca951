using CsCheck;
using Switchboard.Core.Outbox;

namespace Switchboard.Tests.Delivery;

/// <summary>
/// Failover's rules on their own, over random runs of endpoint health: a simulated primary and backup whose circuits
/// open and close at random, attempts routed as the pump routes them, and the channel and alerts checked against
/// what an operator must be able to rely on.
/// </summary>
public sealed class FailoverRulesTests
{
    [Fact]
    public void WhateverTheEndpointsDo_TheChannelFollowsThem_AndEveryChangeIsOneAlert() =>
        Gen.Select(Gen.Bool, Gen.Enum<EndpointResult>().Array[1, 80], Gen.Enum<EndpointResult>().Array[80]).Sample((hasBackup, primaries, backups) =>
        {
            var channel = Channel.Primary;
            var alerts = new List<string>();
            for (var i = 0; i < primaries.Length; i++)
            {
                var primary = primaries[i];
                var tryBackup = Failover.TryBackup(channel, primary, hasBackup);
                Assert.False(tryBackup && !hasBackup); // no backup is never tried
                Assert.True(tryBackup || !(hasBackup && primary == EndpointResult.Open)); // an open primary always goes on to a backup there is
                Assert.False(tryBackup && primary == EndpointResult.Delivered); // a delivered message is never sent twice
                EndpointResult? backup = tryBackup ? backups[i] : null;
                var next = Failover.Next(channel, primary, backup);
                if (Failover.Alert(channel, next) is { } alert)
                {
                    alerts.Add(alert);
                }
                Assert.Equal(channel != next, Failover.Alert(channel, next) is not null); // an alert exactly when the channel changes
                switch (next)
                {
                    case Channel.Primary:
                        Assert.True(primary == EndpointResult.Delivered || (channel == Channel.Primary && backup is null)); // back only when the primary took one
                        break;
                    case Channel.Backup:
                        Assert.True(hasBackup && backup is EndpointResult.Delivered or EndpointResult.Failed); // on the backup only when it answered
                        break;
                    case Channel.Holding:
                        Assert.True(primary == EndpointResult.Open || backup == EndpointResult.Open || channel == Channel.Holding); // held only behind an open circuit
                        break;
                }
                if (primary == EndpointResult.Delivered)
                {
                    Assert.Equal(Channel.Primary, next);
                }
                channel = next;
            }
            Assert.All(alerts.Zip(alerts.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second)); // never the same alert twice in a row
            Assert.DoesNotContain(DeliveryAlert.Recovered, alerts.Take(1)); // the first change is never a recovery
            if (!hasBackup)
            {
                Assert.DoesNotContain(DeliveryAlert.Failover, alerts);
            }
        });
}
