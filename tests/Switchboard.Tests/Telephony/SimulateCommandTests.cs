using System.CommandLine;
using Switchboard.Cli;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Telephony;

public sealed class SimulateCommandTests
{
    [Fact]
    public async Task Simulate_DrivesARealServer_AndEveryCallPopsOnce()
    {
        var store = await TestStore.CreateAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var app = new SwitchboardApplication(store);
        app.UseKestrel(0);
        app.StartServer();
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"客户{i}", ContactPoints = [new() { Value = $"1380013800{i}" }] });
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SwitchboardCli.Create(output, error)
            .Parse(["simulate", "--url", client.BaseAddress!.ToString(), "--rate", "20", "--duration", "2", "--warmup", "1", "--ring-after", "50", "--agents", "4", "--api-key", SwitchboardApplication.AdminKey])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);

        Assert.True(code == 0, output + error.ToString());
        Assert.Contains("40 calls to 4 agents", output.ToString(), StringComparison.Ordinal);
        // The 20 warm-up calls pop too, but only the 40 measured ones are counted, in one 10-second window.
        Assert.Contains("pops 40, lost 0, duplicate 0, failed events 0", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("5 caller numbers from the replica", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"0–10\s+s\s+40 pops", output.ToString());
    }

    [Fact]
    public async Task Simulate_WithoutAServer_SaysSo()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SwitchboardCli.Create(output, error)
            .Parse(["simulate", "--url", "http://127.0.0.1:1", "--rate", "1", "--duration", "1", "--agents", "1"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        Assert.Equal(2, code);
        Assert.Contains("cannot drive http://127.0.0.1:1", error.ToString(), StringComparison.Ordinal);
    }
}
