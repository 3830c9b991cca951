using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Security;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Security;

public sealed class AuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Me(string Name, string Role, string Kind);

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ACookie_ABearerToken_AndAnApiKey_EachSayWhoTheRequestIs_AndTheTrailNamesThem(StorageProvider provider)
    {
        var (store, app, _admin) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        HttpClient Client()
        {
            var client = app.CreateClient(); // keeps cookies; without the tests' admin key, it is no one until it signs in
            client.DefaultRequestHeaders.Authorization = null;
            return client;
        }
        var anonymous = Client();
        string key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var identities = scope.ServiceProvider.GetRequiredService<IdentityStore>();
            await identities.AddUserAsync("manager-li", Role.Manager, "correct horse battery", Ct);
            key = (await identities.CreateApiKeyAsync("crm-sync", Role.Integration, null, Ct)).Value.Key;
        }
        Assert.Equal(("auth.required", HttpStatusCode.Unauthorized), ((await Problem.ReadAsync(await anonymous.GetAsync("/api/v1/auth/me", Ct), HttpStatusCode.Unauthorized)).Code, HttpStatusCode.Unauthorized));

        // The pages: a cookie.
        var browser = Client();
        Assert.Equal("auth.invalid_credentials", (await Problem.ReadAsync(
            await browser.PostJsonAsync("/api/v1/auth/sign-in", new { name = "manager-li", password = "wrong password!" }), HttpStatusCode.Unauthorized)).Code);
        var signedIn = await browser.PostJsonAsync("/api/v1/auth/sign-in", new { name = "manager-li", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new Me("manager-li", "Manager", "user"), await (await browser.GetAsync("/api/v1/auth/me", Ct)).ReadAsync<Me>());
        // A change that carries the cookie alone — all a forged form or script from another site could send — is refused, nothing written.
        var forgedWrite = await Problem.ReadAsync(await browser.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "伪造" }), HttpStatusCode.BadRequest);
        Assert.Equal("antiforgery.invalid", forgedWrite.Code);
        browser.DefaultRequestHeaders.Add("X-XSRF-TOKEN", "a-guess");
        Assert.Equal("antiforgery.invalid", (await Problem.ReadAsync(await browser.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "伪造" }), HttpStatusCode.BadRequest)).Code);
        Assert.Equal(0, await app.WithDbAsync(db => db.Customers.CountAsync(Ct)));
        await browser.UseSessionTokenAsync(); // what the page's /lib/csrf.js does
        // A change made while signed in is in the trail under that name.
        var customer = await (await browser.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳" })).ReadAsync<CustomerView>();
        var actors = await app.WithDbAsync(db => db.AuditLog.Where(e => e.CustomerId == customer.Id).Select(e => e.Actor + "/" + e.Role).Distinct().ToListAsync(Ct));
        Assert.Equal(["manager-li/Manager"], actors);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/v1/auth/sign-out", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me", Ct)).StatusCode);

        // API users: a bearer token.
        var issued = await anonymous.PostJsonAsync("/api/v1/auth/token", new { name = "manager-li", password = "correct horse battery" });
        using var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync(Ct));
        var bearer = Client();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("accessToken").GetString());
        Assert.Equal(new Me("manager-li", "Manager", "user"), await (await bearer.GetAsync("/api/v1/auth/me", Ct)).ReadAsync<Me>());
        var forged = Client();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/auth/me", Ct)).StatusCode);

        // Systems: an API key, by header or as a bearer; revoked, it stops at once.
        var system = Client();
        system.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(new Me("crm-sync", "Integration", "apiKey"), await (await system.GetAsync("/api/v1/auth/me", Ct)).ReadAsync<Me>());
        var asBearer = Client();
        asBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal("crm-sync", (await (await asBearer.GetAsync("/api/v1/auth/me", Ct)).ReadAsync<Me>()).Name);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdentityStore>().RevokeApiKeysAsync("crm-sync", Ct);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.GetAsync("/api/v1/auth/me", Ct)).StatusCode);

        // Permissions: no credential is 401; a role the route's policy leaves out is 403, with nothing of the data.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdentityStore>().AddUserAsync("auditor-he", Role.Auditor, "correct horse battery", Ct);
        }
        var auditor = Client();
        await auditor.PostJsonAsync("/api/v1/auth/sign-in", new { name = "auditor-he", password = "correct horse battery" });
        var forbidden = await auditor.GetAsync($"/api/v1/customers/{customer.Id}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.DoesNotContain("王芳", await forbidden.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/audit?customer={customer.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostJsonAsync("/api/v1/auth/sign-in", new { name = "manager-li", password = "correct horse battery" })) is { StatusCode: HttpStatusCode.NoContent }
            ? (await browser.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).StatusCode : HttpStatusCode.InternalServerError);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/audit", Ct)).StatusCode);
    }

    [Fact]
    public async Task ATokenAndACookie_OutliveARestart_TheirKeysAreInTheStore()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        string cookie, accessToken;
        using (var before = new SwitchboardApplication(store))
        {
            var client = before.CreateClient();
            await using (var scope = before.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<IdentityStore>().AddUserAsync("agent-007", Role.Agent, "correct horse battery", Ct);
            }
            var signedIn = await client.PostJsonAsync("/api/v1/auth/sign-in", new { name = "agent-007", password = "correct horse battery" });
            cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
            using var token = JsonDocument.Parse(await (await client.PostJsonAsync("/api/v1/auth/token", new { name = "agent-007", password = "correct horse battery" })).Content.ReadAsStringAsync(Ct));
            accessToken = token.RootElement.GetProperty("accessToken").GetString()!;
            Assert.True(await before.WithDbAsync(db => db.DataProtectionKeys.AnyAsync(Ct)));
        }

        using var after = new SwitchboardApplication(store);
        var withCookie = after.CreateClient();
        withCookie.DefaultRequestHeaders.Authorization = null;
        withCookie.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal("agent-007", (await (await withCookie.GetAsync("/api/v1/auth/me", Ct)).ReadAsync<Me>()).Name);
        var withToken = after.CreateClient();
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        Assert.Equal("agent-007", (await (await withToken.GetAsync("/api/v1/auth/me", Ct)).ReadAsync<Me>()).Name);
    }

    [Fact]
    public async Task AnAgent_CannotSetTierLifecycleOrOwner_ThroughAWrite_AManagerCan()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await BrowserSessionUsers(app);
        async Task<HttpClient> SignedInAsync(string name)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = null;
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostJsonAsync("/api/v1/auth/sign-in", new { name, password = BrowserSession.Password })).StatusCode);
            await client.UseSessionTokenAsync();
            return client;
        }
        var agent = await SignedInAsync("agent-007");
        var manager = await SignedInAsync("manager-li");

        var refused = await Problem.ReadAsync(await agent.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳", Tier = ValueTier.Vip }), HttpStatusCode.Forbidden);
        Assert.Equal("field.forbidden", refused.Code);
        Assert.Equal(["tier"], refused.Errors.Keys);
        Assert.Equal(0, await app.WithDbAsync(db => db.Customers.CountAsync(Ct)));


        // A new customer may start as a lead (the desktop's "make a lead"), not as a churned or loyal one.
        Assert.Equal(HttpStatusCode.Created, (await agent.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "新线索", Lifecycle = LifecycleStage.Lead })).StatusCode);
        Assert.Equal(["lifecycle"], (await Problem.ReadAsync(await agent.PostJsonAsync("/api/v1/customers",
            new CustomerInput { DisplayName = "x", Lifecycle = LifecycleStage.Churned }), HttpStatusCode.Forbidden)).Errors.Keys);
        var created = await (await agent.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "王芳" })).ReadAsync<CustomerView>();
        // A full replace that keeps them is fine; one that changes the owner or the tier is refused, and nothing changes.
        Assert.Equal(HttpStatusCode.OK, (await agent.PutJsonAsync($"/api/v1/customers/{created.Id}", new CustomerInput { DisplayName = "王芳芳", Version = 1 })).StatusCode);
        var owner = await Problem.ReadAsync(await agent.PutJsonAsync($"/api/v1/customers/{created.Id}",
            new CustomerInput { DisplayName = "王芳芳", OwnerAgentId = "agent-007", Lifecycle = LifecycleStage.Loyal, Version = 2 }), HttpStatusCode.Forbidden);
        Assert.Equal(["lifecycle", "ownerAgentId"], owner.Errors.Keys.Order());
        var row = await app.WithDbAsync(db => db.Customers.Where(c => c.Id == created.Id).Select(c => new { c.Version, c.OwnerAgentId }).SingleAsync(Ct));
        Assert.Equal((2L, (string?)null), (row.Version, row.OwnerAgentId));
        Assert.Equal(HttpStatusCode.OK, (await manager.PutJsonAsync($"/api/v1/customers/{created.Id}",
            new CustomerInput { DisplayName = "王芳芳", Tier = ValueTier.Vip, OwnerAgentId = "agent-007", Version = 2 })).StatusCode);
    }

    private static async Task BrowserSessionUsers(SwitchboardApplication app)
    {
        await BrowserSession.AddUserAsync(app, "agent-007", Role.Agent);
        await BrowserSession.AddUserAsync(app, "manager-li", Role.Manager);
    }
}
