using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Security;

public sealed class AccessPolicyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEndpoint_HasAPolicyOrIsOpenOnPurpose_AndOnlyTheseAreOpen()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var open = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            // An /api/v1 endpoint names its policy (or is open); anything else falls to the fallback (signed in) unless open.
            Assert.True(anonymous || policies.Count > 0 || !pattern.StartsWith("/api/v1", StringComparison.Ordinal), $"{pattern} has no policy.");
            if (anonymous)
            {
                open.Add(pattern);
            }
        }
        // What anyone may reach: sign-in, telephony webhooks (they prove their sender themselves), probes, the API's description.
        Assert.All(open, pattern => Assert.Matches(
            "^/(api/v1/auth/|api/v1/cti/|api/v1/telephony/events|api/v1/telephony/twilio/|health/|metrics|openapi/|docs|$)", pattern));
    }

    [Fact]
    public async Task WithoutCredentials_ProbesAndTheDescriptionAnswer_CustomerDataDoesNot()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        foreach (var open in new[] { "/health/live", "/health/ready", "/metrics", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(open, Ct)).StatusCode);
        }
        foreach (var closed in new[] { "/api/v1/customers", "/api/v1/audit", "/api/v1/routing/agents", "/api/v1/agents/presence", "/api/v1/telephony/sources" })
        {
            var refused = await anonymous.GetAsync(closed, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.DoesNotContain("displayName", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }
}
