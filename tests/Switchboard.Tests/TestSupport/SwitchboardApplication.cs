using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Persistence;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Tests.TestSupport;

/// <summary>The real server, in process, over a real store (STYLE H22). Tests talk to it through HTTP only.</summary>
public sealed class SwitchboardApplication(TestStore store, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>What the server logged, filtered by the shipped appsettings.json levels.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>JSON as the server writes it.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static async Task<(TestStore Store, SwitchboardApplication App, HttpClient Client)> StartAsync(
        StorageProvider provider, IDictionary<string, string?>? settings = null)
    {
        var store = await TestStore.CreateAsync(provider);
        var app = new SwitchboardApplication(store, settings);
        return (store, app, app.CreateClient());
    }

    /// <summary>A desktop's connection to <c>/hubs/agent</c> as <paramref name="agent"/>, in process (long polling), not started.</summary>
    public HubConnection AgentHub(string agent) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "/hubs/agent?agent=" + Uri.EscapeDataString(agent)), options =>
            {
                options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                options.Headers["Authorization"] = "Bearer " + AdminKey; // an admin (or an integration) may act for any agent
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(options => HostingExtensions.Configure(options.PayloadSerializerOptions))
            .Build();

    /// <summary>A client acting as a new API key of <paramref name="role"/> named <paramref name="name"/> (the key's name is the actor).</summary>
    public async Task<HttpClient> ClientAsync(string name, Switchboard.Core.Security.Role role)
    {
        await using var scope = Services.CreateAsyncScope();
        var key = (await scope.ServiceProvider.GetRequiredService<Switchboard.Core.Security.IdentityStore>()
            .CreateApiKeyAsync(name, role, null, TestContext.Current.CancellationToken)).Value.Key;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Runs <paramref name="action"/> against the store directly (to check what the API wrote).</summary>
    public async Task<T> WithDbAsync<T>(Func<SwitchboardDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>());
    }

    /// <summary>The tests' admin credential (configuration's bootstrap key); every client the factory makes sends it.</summary>
    public const string AdminKey = "sbk_tests-bootstrap-admin-key-0123456789abcdef";

    /// <summary>Clients act as the admin unless a test removes the header to be someone else, or no one.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    }

    /// <summary>The audit chain's key in tests (the server's is a file outside the database).</summary>
    public const string AuditKey = "c3dpdGNoYm9hcmQtdGVzdHMtYXVkaXQta2V5LTMyLWJ5dGVzLWxvbmc=";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.UseSetting("Storage:Provider", store.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Switchboard", store.ConnectionString);
        builder.UseSetting("Audit:Key", AuditKey);
        builder.UseSetting("Security:BootstrapAdminKey", AdminKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        HostingExtensions.Configure(options);
        return options;
    }
}

/// <summary>Shortcuts for reading the server's JSON.</summary>
public static class HttpTestExtensions
{
    /// <summary>
    /// As a page does after signing in with the cookie: reads <c>/api/v1/auth/me</c>, and from then on sends the
    /// session's antiforgery token (the <c>XSRF-TOKEN</c> cookie) in <c>X-XSRF-TOKEN</c>.
    /// </summary>
    public static async Task UseSessionTokenAsync(this HttpClient client)
    {
        var me = await client.GetAsync("/api/v1/auth/me", TestContext.Current.CancellationToken);
        var cookie = me.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal));
        client.DefaultRequestHeaders.Remove("X-XSRF-TOKEN");
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", Uri.UnescapeDataString(cookie.Split(';')[0]["XSRF-TOKEN=".Length..]));
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(SwitchboardApplication.Json, TestContext.Current.CancellationToken))!;

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PostAsJsonAsync(url, body, SwitchboardApplication.Json, TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PutJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PutAsJsonAsync(url, body, SwitchboardApplication.Json, TestContext.Current.CancellationToken);
}
