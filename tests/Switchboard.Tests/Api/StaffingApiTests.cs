using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Staffing;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

public sealed class StaffingApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Erlang_GivesThePublishedAnswer_AndNamesEveryBadField()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;

        var needed = await (await client.PostJsonAsync("/api/v1/staffing/erlang", new ErlangInput
        {
            Calls = 100, IntervalMinutes = 30, AhtSeconds = 180, ServiceLevel = 0.8, AnswerWithinSeconds = 20, Shrinkage = 0.3, PatienceSeconds = 300,
        })).ReadAsync<ErlangView>();
        Assert.Equal((10.0, 14, 20), (needed.Erlangs, needed.Agents, needed.Scheduled));
        Assert.Equal(0.888, needed.ServiceLevel, 3);
        Assert.Equal(0.013984, needed.ProbabilityOfAbandon!.Value, 6);

        var overloaded = await (await client.PostJsonAsync("/api/v1/staffing/erlang", new ErlangInput { Calls = 100, Agents = 9 })).ReadAsync<ErlangView>();
        Assert.Equal((0.0, (double?)null), (overloaded.ServiceLevel, overloaded.AverageSpeedOfAnswerSeconds));

        var bad = await client.PostJsonAsync("/api/v1/staffing/erlang", new ErlangInput { ServiceLevel = 1.5, Agents = -1, IntervalMinutes = 0 });
        var problem = await Problem.ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["agents", "calls", "intervalMinutes", "serviceLevel"], problem.Errors.Keys.Order(StringComparer.Ordinal));
        // A problem with the target is named by the field the caller sent.
        var noAht = await Problem.ReadAsync(await client.PostJsonAsync("/api/v1/staffing/erlang", new ErlangInput { Calls = 1, AhtSeconds = 0 }), HttpStatusCode.BadRequest);
        Assert.Equal(["ahtSeconds"], noAht.Errors.Keys);
    }

    [Fact]
    public async Task RequirementsAndPlans_ComeFromVolumes_AndRejectWhatCannotBePlanned()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var start = new DateTime(2026, 11, 30, 8, 0, 0);
        var volumes = Enumerable.Range(0, 24).Select(i => new VolumeInput(start.AddMinutes(30 * i), i is >= 4 and < 16 ? 100 : 40)).ToList();

        var requirement = await (await client.PostJsonAsync("/api/v1/staffing/requirements", new RequirementInput
        {
            IntervalMinutes = 30, Target = new StaffingTargetInput { Shrinkage = 0.3 }, Volumes = volumes,
        })).ReadAsync<IntervalRequirement[]>();
        Assert.Equal(24, requirement.Length);
        Assert.Equal((14, 20), (requirement[4].Agents, requirement[4].Scheduled));

        var templates = new[]
        {
            new ShiftTemplateInput("全职", 8.5, "08:00", "11:30", 30, 30, 3, 5),
            new ShiftTemplateInput("兼职", 4, "08:00", "16:00", 30, 0, null, null),
        };
        var plan = await (await client.PostJsonAsync("/api/v1/staffing/plans", new PlanInput
        {
            IntervalMinutes = 30, Requirement = [.. requirement.Select(r => new RequiredInput(r.Start, r.Scheduled))], Templates = templates,
        })).ReadAsync<ShiftPlan>();
        Assert.All(plan.Coverage, c => Assert.True(c.Planned >= c.Required));
        Assert.Empty(plan.Uncovered);
        Assert.All(plan.Shifts, s => Assert.Contains(s.Template, new[] { "全职", "兼职" }));
        Assert.InRange(plan.PaidHours, plan.RequiredHours, plan.RequiredHours * 1.2);

        var bad = await client.PostJsonAsync("/api/v1/staffing/plans", new PlanInput
        {
            IntervalMinutes = 30,
            Requirement = [new RequiredInput(start, 3), new RequiredInput(start.AddMinutes(45), 3)],
            Templates = [new ShiftTemplateInput("x", 20, "8am", "07:00", 7, 30, 9, 1)],
        });
        var problem = await Problem.ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["requirement[1].start", "templates[0].breakMinutes", "templates[0].earliestStart", "templates[0].lengthHours", "templates[0].startEveryMinutes"],
            problem.Errors.Keys.Order(StringComparer.Ordinal));

        var huge = await client.PostJsonAsync("/api/v1/staffing/requirements", new RequirementInput
        {
            Volumes = [.. Enumerable.Range(0, StaffingService.MaxIntervals + 1).Select(i => new VolumeInput(start.AddMinutes(5 * i), 1))],
        });
        Assert.Contains("volumes", (await Problem.ReadAsync(huge, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AForecast_ComesFromTheCallJournal_PerQueue(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;

        await JournalHistory.SeedAsync(app, Ct);

        var monday = await (await client.GetAsync("/api/v1/forecasts?queue=vip&day=2026-11-23", Ct)).ReadAsync<ForecastView>();
        Assert.Equal((24, 30), (monday.Intervals.Count, monday.IntervalMinutes));
        Assert.Equal(new DateTime(2026, 11, 23, 8, 0, 0), monday.Intervals[0].Start);
        Assert.All(monday.Intervals, i => Assert.Equal(4, i.Calls, 1));
        Assert.Contains("Chosen over", monday.Explanation, StringComparison.Ordinal);
        var tuesday = await (await client.GetAsync("/api/v1/forecasts?queue=vip&day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.Equal(48, tuesday.Intervals.Sum(i => i.Calls), 0);
        var all = await (await client.GetAsync("/api/v1/forecasts?day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.Equal(72, all.Intervals.Sum(i => i.Calls), 0);
        // A past day shows what came.
        var past = await (await client.GetAsync("/api/v1/forecasts?queue=general&day=2026-11-17", Ct)).ReadAsync<ForecastView>();
        Assert.All(past.Intervals, i => Assert.Equal(1, i.Actual));

        var early = await client.GetAsync("/api/v1/forecasts?queue=vip&day=2026-09-20", Ct);
        Assert.Contains("needs call history first", (await Problem.ReadAsync(early, HttpStatusCode.BadRequest)).Errors["day"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/forecasts?day=2026-13-45", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/forecasts?queue=" + new string('q', 200), Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ImportedHistory_FeedsTheForecast_AndImportingAgainReplaces(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        // Eight weeks of an ACD's export for the sales queue: 3 calls per half hour, 08:00–20:00 local, weekdays.
        var csv = new System.Text.StringBuilder("DateTime,Calls\n");
        for (var day = new DateOnly(2026, 9, 28); day < new DateOnly(2026, 11, 23); day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                for (var slot = 0; slot < 24; slot++)
                {
                    csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(30 * slot):yyyy-MM-ddTHH:mm:ss},3\n");
                }
            }
        }
        async Task<HttpResponseMessage> ImportAsync(string body, string type = "text/csv") =>
            await client.PostAsync("/api/v1/forecasts/history?queue=sales&intervalMinutes=30", new StringContent(body, System.Text.Encoding.UTF8, type), Ct);

        var first = await (await ImportAsync(csv.ToString())).ReadAsync<CallHistoryImportResult>();
        Assert.Equal((960, 960, 0), (first.Rows, first.Added, first.Replaced));
        var again = await (await ImportAsync(csv.ToString())).ReadAsync<CallHistoryImportResult>();
        Assert.Equal((960, 0, 960), (again.Rows, again.Added, again.Replaced));

        var forecast = await (await client.GetAsync("/api/v1/forecasts?queue=sales&day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.Equal(72, forecast.Intervals.Sum(i => i.Calls), 0); // 3 × 24, not doubled by the second import

        var bad = await ImportAsync("DateTime,Calls\n2026-11-02T08:00:00,3\n2026-11-02T08:30:00,-1\n");
        Assert.Contains("line 3: '-1' is not a count of calls.", (await Problem.ReadAsync(bad, HttpStatusCode.BadRequest)).Errors["history"][0], StringComparison.Ordinal);
        var twice = await ImportAsync("DateTime,Calls\n2026-11-02T08:00:00,3\n2026-11-02T08:00:00,4\n");
        Assert.Contains("twice", (await Problem.ReadAsync(twice, HttpStatusCode.BadRequest)).Errors["history"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ImportAsync("{}", "application/json")).StatusCode);
        // Nothing of a rejected file was written.
        var after = await (await client.GetAsync("/api/v1/forecasts?queue=sales&day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.Equal(72, after.Intervals.Sum(i => i.Calls), 0);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ARegionsForecast_CountsTheCallsOfItsIdentifiedCustomers(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var east = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "周杰", Region = "华东" })).ReadAsync<CustomerView>();
        var north = await (await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "吴磊", Region = "华北" })).ReadAsync<CustomerView>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            for (var day = new DateOnly(2026, 9, 14); day < new DateOnly(2026, 11, 23); day = day.AddDays(1))
            {
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }
                for (var slot = 0; slot < 24; slot++)
                {
                    var at = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(8, 10)).AddMinutes(30 * slot), zone);
                    foreach (var (customer, kind) in new[] { (east.Id, InteractionKind.Call), (east.Id, InteractionKind.Call),
                                 (north.Id, InteractionKind.Call), (east.Id, InteractionKind.Email) })
                    {
                        db.Interactions.Add(new Interaction
                        {
                            Id = Guid.CreateVersion7(), CustomerId = customer, Kind = kind, Direction = InteractionDirection.Inbound,
                            StartedAt = at, CreatedAt = at, UpdatedAt = at, Queue = "general",
                        });
                    }
                }
            }
            await db.SaveChangesAsync(Ct);
        }

        var eastForecast = await (await client.GetAsync("/api/v1/forecasts?region=华东&day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.Equal(("华东", 48.0), (eastForecast.Region, Math.Round(eastForecast.Intervals.Sum(i => i.Calls)))); // 2 calls a slot; emails are not calls
        var northForecast = await (await client.GetAsync("/api/v1/forecasts?region=华北&queue=general&day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.Equal(24, northForecast.Intervals.Sum(i => i.Calls), 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/forecasts?region=华南&day=2026-11-24", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ImportedDrivers_LetTheForecastSeeACampaignComing(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        // 20 weeks of sales history: 20 calls a half hour, plus 1 call a half hour per 1,000 campaign messages that day.
        var random = new Random(5);
        var history = new System.Text.StringBuilder("DateTime,Calls\n");
        var drivers = new System.Text.StringBuilder("Date,campaign_sends\n");
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var target = new DateOnly(2026, 11, 24);
        for (var day = target.AddDays(-140); day <= target; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            var sends = day == target || random.Next(3) == 0 ? 10_000 : 0;
            drivers.Append(c, $"{day:yyyy-MM-dd},{sends}\n");
            for (var slot = 0; slot < 24 && day < target; slot++)
            {
                history.Append(c, $"{day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(30 * slot):yyyy-MM-ddTHH:mm:ss},{20 + sends / 1000 + random.Next(-2, 3)}\n");
            }
        }
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/forecasts/history?queue=sales", new StringContent(history.ToString(), System.Text.Encoding.UTF8, "text/csv"), Ct)).StatusCode);
        var imported = await (await client.PostAsync("/api/v1/forecasts/drivers", new StringContent(drivers.ToString(), System.Text.Encoding.UTF8, "text/csv"), Ct)).ReadAsync<ForecastDriversImportResult>();
        Assert.Equal(["campaign_sends"], imported.Drivers);

        // A campaign goes out on the 24th: the forecast expects it (30 a half hour), where calls alone could not.
        var forecast = await (await client.GetAsync("/api/v1/forecasts?queue=sales&day=2026-11-24", Ct)).ReadAsync<ForecastView>();
        Assert.StartsWith("regression", forecast.Model, StringComparison.Ordinal);
        Assert.Equal(720, forecast.Intervals.Sum(i => i.Calls), 720 * 0.05);
        Assert.Contains("campaign_sends 10000", forecast.Explanation, StringComparison.Ordinal);

        var bad = await client.PostAsync("/api/v1/forecasts/drivers", new StringContent("Date,campaign_sends\n2026-11-02,many\n", System.Text.Encoding.UTF8, "text/csv"), Ct);
        Assert.Contains("'many' is not a number", (await Problem.ReadAsync(bad, HttpStatusCode.BadRequest)).Errors["regressors"][0], StringComparison.Ordinal);
    }
}
