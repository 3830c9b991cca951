using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Demo;
using Switchboard.Core.Identification;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Data;

public sealed class DemoSeederTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Seed_WritesRowsThatReadBackThroughEfAndTheApi(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        Assert.True(await seeder.IsEmptyAsync(Ct));

        var summary = await seeder.SeedAsync(new SeedRequest(400, "zh-CN", 7, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), null, Ct);

        Assert.Equal(400, summary.Customers);
        var counts = await app.WithDbAsync(async db => new
        {
            Customers = await db.Customers.CountAsync(Ct),
            Contacts = await db.Customers.CountAsync(c => c.CompanyId != null, Ct),
            Rows = await db.Customers.CountAsync(Ct) + await db.ContactPoints.CountAsync(Ct) + await db.Orders.CountAsync(Ct)
                + await db.Tickets.CountAsync(Ct) + await db.TicketUpdates.CountAsync(Ct) + await db.Opportunities.CountAsync(Ct)
                + await db.FollowUpTasks.CountAsync(Ct) + await db.Interactions.CountAsync(Ct) + await db.ExternalIds.CountAsync(Ct)
                + await db.CallJournal.CountAsync(Ct),
            Complaints = await db.Tickets.CountAsync(t => t.IsSensitive, Ct),
            SharedSwitchboards = await db.ContactPoints.Where(p => p.Kind == ContactKind.Switchboard)
                .GroupBy(p => p.E164).CountAsync(g => g.Count() > 2, Ct),
        });
        Assert.Equal(400, counts.Customers);
        Assert.Equal(summary.Rows, counts.Rows);
        Assert.True(counts.Contacts > 0 && counts.Complaints > 0 && counts.SharedSwitchboards > 0, counts.ToString());

        // A seeded number, written as people write it, finds its customer through the API.
        var point = await app.WithDbAsync(db => db.ContactPoints.AsNoTracking().Where(p => p.Kind == ContactKind.Mobile).OrderBy(p => p.Id).FirstAsync(Ct));
        var page = await (await client.GetAsync("/api/v1/customers?phone=" + Uri.EscapeDataString(point.Raw), Ct)).ReadAsync<Page<CustomerView>>();
        Assert.Contains(page.Items, c => c.Id == point.CustomerId);
        Assert.False(await seeder.IsEmptyAsync(Ct));

        // Ten weeks of call history in the journal: the first day after it can be forecast per queue, with a
        // busier Monday than Sunday as seeded.
        var monday = await (await client.GetAsync("/api/v1/forecasts?queue=general&day=2026-01-05", Ct)).ReadAsync<Switchboard.Core.Forecasting.ForecastView>();
        var sunday = await (await client.GetAsync("/api/v1/forecasts?queue=general&day=2026-01-04", Ct)).ReadAsync<Switchboard.Core.Forecasting.ForecastView>();
        Assert.Equal(24, monday.Intervals.Count);
        Assert.True(monday.Intervals.Sum(i => i.Calls) > 1.5 * sunday.Intervals.Sum(i => i.Calls));
    }

    [Fact]
    public void Generator_IsDeterministic_AndItsE164AgreesWithLibphonenumber()
    {
        var asOf = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new DemoDataGenerator("zh-CN", 3, asOf, 2000).Next(2000);
        var second = new DemoDataGenerator("zh-CN", 3, asOf, 2000).Next(2000);
        Assert.Equal(first.Customers.Select(c => (c.Id, c.DisplayName, c.Tier)), second.Customers.Select(c => (c.Id, c.DisplayName, c.Tier)));
        Assert.Equal(first.ContactPoints.Select(p => (p.Id, p.Raw)), second.ContactPoints.Select(p => (p.Id, p.Raw)));

        foreach (var (locale, region) in new[] { ("zh-CN", "CN"), ("en", "US") })
        {
            var normalizer = new PhoneNormalizer(Microsoft.Extensions.Options.Options.Create(new TelephonyOptions { DefaultRegion = region }));
            var batch = new DemoDataGenerator(locale, 11, asOf, 3000).Next(3000);
            foreach (var point in batch.ContactPoints.Where(p => p.E164 is not null))
            {
                Assert.Equal(point.E164, normalizer.Normalize(point.Raw).E164);
            }
            Assert.Contains(batch.ContactPoints, p => p.Status == ContactPointStatus.Invalid && p.E164 is null);
        }
    }

    [Fact]
    public void Generator_SkewsTiersLikeARealBook()
    {
        var customers = new DemoDataGenerator("en", 5, DateTimeOffset.UnixEpoch.AddYears(56), 20_000).Next(20_000).Customers;
        double Share(ValueTier tier) => customers.Count(c => c.Tier == tier) / (double)customers.Count;
        Assert.InRange(Share(ValueTier.Standard), 0.55, 0.75);
        Assert.InRange(Share(ValueTier.Vip), 0.01, 0.06);
        Assert.True(customers.Select(c => c.Id).Zip(customers.Skip(1).Select(c => c.Id)).All(p => p.First.CompareTo(p.Second) < 0), "customer ids ascend with join time");
    }
}
