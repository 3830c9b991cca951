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
}
