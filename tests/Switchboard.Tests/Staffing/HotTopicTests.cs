using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Persistence;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Staffing;

public sealed class HotTopicTests
{
    private static readonly DateTime AsOf = new(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Mentions per day for 35 days up to <see cref="AsOf"/>: <paramref name="before"/> a day, then <paramref name="lastWeek"/> a day in the last 7.</summary>
    private static IEnumerable<TopicMention> Daily(string region, string topic, int before, int lastWeek, string? product = null) =>
        Enumerable.Range(1, 35).SelectMany(daysAgo => Enumerable.Range(0, daysAgo <= 7 ? lastWeek : before)
            .Select(i => new TopicMention(AsOf.AddDays(-daysAgo).AddHours(9 + i % 8), region, topic, product)));

    [Fact]
    public void ARisingTopic_IsFlaggedForItsRegionOnly_WithStaffAndSparePartsHints()
    {
        var mentions = Daily("华东", "delivery", 2, 6)
            .Concat(Daily("华北", "delivery", 2, 2))
            .Concat(Daily("华南", "billing", 0, 0).Append(new TopicMention(AsOf.AddDays(-1), "华南", "billing", null)).Append(new TopicMention(AsOf.AddDays(-2), "华南", "billing", null)))
            .Concat(Daily("华东", "product", 1, 4, "扫地机器人电池"));

        var hot = HotTopicDetector.Detect(mentions, AsOf, TimeSpan.FromMinutes(4), TimeSpan.FromHours(12));

        Assert.Equal([("华东", "delivery"), ("华东", "product")], hot.Select(h => (h.Region, h.Topic)));
        var delivery = hot[0];
        Assert.Equal((42, 14.0), (delivery.Recent, delivery.Expected));
        Assert.Equal(3.0, delivery.Ratio, 6);
        Assert.True(delivery.PValue < 1e-6 && delivery.ExtraAgents >= 1);
        Assert.Contains("plan", delivery.Suggestion, StringComparison.Ordinal);
        Assert.Equal([new ProductMention("扫地机器人电池", 28)], hot[1].Products);
        Assert.Contains("Spare parts: check stock of 扫地机器人电池 (28)", hot[1].Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public void PoissonTail_IsRight()
    {
        Assert.Equal(1, HotTopicDetector.PoissonTail(0, 3));
        Assert.Equal(1 - Math.Exp(-3), HotTopicDetector.PoissonTail(1, 3), 12);
        Assert.Equal(1 - Math.Exp(-3) * (1 + 3 + 4.5), HotTopicDetector.PoissonTail(3, 3), 12);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task HotTopics_ComeFromTicketsByTheirCustomersRegion(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var east = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "周杰", Region = "华东" })).ReadAsync<CustomerView>();
        var north = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "吴磊", Region = "华北" })).ReadAsync<CustomerView>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var n = 0;
            foreach (var m in Daily("华东", "product", 1, 5, "电池").Concat(Daily("华北", "product", 1, 1, "电池")))
            {
                db.Tickets.Add(new Ticket
                {
                    Id = Guid.CreateVersion7(), CustomerId = m.Region == "华东" ? east.Id : north.Id, Number = $"T-{n++}", Subject = m.Product!, Category = m.Topic,
                    Status = TicketStatus.Open, CreatedAt = m.At, UpdatedAt = m.At,
                });
            }
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var hot = await (await client.GetAsync("/api/v1/forecasts/hot-topics?asOf=2026-11-25T00:00:00Z", TestContext.Current.CancellationToken)).ReadAsync<List<HotTopic>>();
        var topic = Assert.Single(hot);
        Assert.Equal(("华东", "product", 35), (topic.Region, topic.Topic, topic.Recent));
        Assert.Equal("电池", Assert.Single(topic.Products).Product);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/forecasts/hot-topics?ahtSeconds=0", TestContext.Current.CancellationToken)).StatusCode);
    }
}
