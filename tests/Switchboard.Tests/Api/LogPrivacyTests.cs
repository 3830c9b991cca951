using System.Net;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

/// <summary>House rule: logs carry ids, never phone numbers, names or CRM payloads.</summary>
public sealed class LogPrivacyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreatingAndLookingUpACustomer_LeavesNoPersonalDataInTheLogs_EvenAtDebug()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
        });
        await using var _ = store;
        using var __ = app;

        var input = new CustomerInput
        {
            DisplayName = "欧阳娜娜",
            ContactPoints = [new() { Value = "+86 139 1234 5678" }, new() { Kind = ContactKind.Email, Value = "nana@example.cn" }],
        };
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/v1/customers", input)).StatusCode);
        await client.GetAsync("/api/v1/customers?phone=13912345678", Ct);
        await client.GetAsync("/api/v1/customers?name=" + Uri.EscapeDataString("欧阳"), Ct);
        await client.PostJsonAsync("/api/v1/customers", input with { ContactPoints = [new() { Value = "13912345678 call after six" }] });

        Assert.NotEmpty(app.Logs.Lines); // the capture works: the server did log (start-up, migrations)
        foreach (var secret in new[] { "13912345678", "139 1234 5678", "欧阳", "nana@example.cn" })
        {
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AWrongPassword_IsLogged_WithTheAccountRedactedToAKeyedHash_TheSameInEachLine()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        await BrowserSession.AddUserAsync(app, "zhang.wei", Switchboard.Core.Security.Role.Agent);
        await BrowserSession.AddUserAsync(app, "li.na", Switchboard.Core.Security.Role.Agent);
        client.DefaultRequestHeaders.Authorization = null;
        foreach (var name in new[] { "zhang.wei", "zhang.wei", "li.na" })
        {
            await client.PostJsonAsync("/api/v1/auth/sign-in", new { name, password = "not the password" });
        }

        var refused = app.Logs.Lines.Where(l => l.Contains("Sign-in refused for account", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, refused.Count);
        Assert.DoesNotContain(refused, l => l.Contains("zhang", StringComparison.Ordinal) || l.Contains("li.na", StringComparison.Ordinal));
        var accounts = refused.Select(l => l.Split("account ")[1].Split(": wrong")[0]).ToList();
        Assert.Equal(accounts[0], accounts[1]);    // one account, one hash: the lines can be told apart and joined
        Assert.NotEqual(accounts[0], accounts[2]);
        Assert.True(accounts[0].Length >= 16, accounts[0]);
    }
}
