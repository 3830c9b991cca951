using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Switchboard.Core.Security;

namespace Switchboard.Tests.TestSupport;

/// <summary>Signs a browser page in as a new user of a role, the way the pages do (the sign-in cookie), before it opens a page.</summary>
public static class BrowserSession
{
    public const string Password = "correct horse battery";

    /// <summary>Debian's Chromium (scripts/test.sh installs it; Playwright's own download cannot work here).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Headless Chromium with the flags a sandboxless CI container needs.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    public static async Task AddUserAsync(SwitchboardApplication app, string name, Role role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<IdentityStore>().AddUserAsync(name, role, Password, TestContext.Current.CancellationToken);
        Assert.True(added.IsSuccess, added.Error?.Message);
    }

    public static async Task SignInAsync(IPage page, SwitchboardApplication app, Uri baseUrl, string name, Role role)
    {
        await AddUserAsync(app, name, role);
        var response = await page.Context.APIRequest.PostAsync(new Uri(baseUrl, "/api/v1/auth/sign-in").ToString(),
            new APIRequestContextOptions { DataObject = new { name, password = Password } });
        Assert.Equal(204, response.Status);
    }
}
