using System.Net;
using System.Text.Json;
using Switchboard.Core.Common;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

public sealed class OperationsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Health_LiveAndReady_AnswerWhenTheStoreDoes(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live", Ct));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready", Ct));
    }

    [Fact]
    public async Task Ready_IsUnhealthyWhenTheStoreIsGone()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        // A server that cannot reach its store must say so: point it at a PostgreSQL port where nothing listens.
        using var app = new SwitchboardApplication(store, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Switchboard"] = "Host=127.0.0.1;Port=1;Timeout=2",
            ["Storage:MigrateOnStart"] = "false",
        });
        var client = app.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live", Ct));
        var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        // A request that needs the store fails as a 500 problem with a trace id, and says nothing about why.
        var failed = await Problem.ReadAsync(await client.GetAsync("/api/v1/customers", Ct), HttpStatusCode.InternalServerError);
        Assert.Equal(ErrorCodes.Internal, failed.Code);
        Assert.DoesNotContain("Npgsql", failed.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", failed.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ArePrometheusText_WithTheSwitchboardMeter()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await client.GetAsync("/api/v1/customers?phone=13800138000", Ct);

        var metrics = await client.GetStringAsync("/metrics", Ct);
        Assert.Contains("switchboard_customers_phone_lookups_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"none\"", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Is31AndDescribesTheApi_AndTheReferenceUiIsServed()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));
        Assert.StartsWith("3.1", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/customers", "/api/v1/customers/{id}", "/api/v1/customers/{id}/timeline", "/api/v1/customers/{customerId}/orders", "/api/v1/tickets/{ticketId}/updates" })
        {
            Assert.True(paths.TryGetProperty(path, out var _), $"{path} is not described");
        }
        var docs = await client.GetAsync("/docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("scalar", await docs.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }
}
