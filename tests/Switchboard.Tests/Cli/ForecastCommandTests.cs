using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Cli;

public sealed class ForecastCommandTests
{
    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync(["forecast", .. args]);

    [Fact]
    public async Task TheBanksHistory_IsEvaluatedForecastStaffedAndPlanned()
    {
        var (code, output, error) = await RunAsync("--history", SharedData.Find("bank_calls-train.csv"), "--evaluate", "5", "--patience", "300");

        Assert.True(code == 0, error);
        Assert.Contains("History: 120 days, 2003-03-03 to 2003-08-21", output, StringComparison.Ordinal);
        Assert.Contains("Rolling-origin evaluation of the last 5 days", output, StringComparison.Ordinal);
        Assert.Matches(@"WAPE per 30 minutes\s+\d+\.\d\d %", output);
        Assert.Contains("Forecast for 2003-08-22 (Friday)", output, StringComparison.Ordinal); // the next weekday
        Assert.Contains("P(abandon)", output, StringComparison.Ordinal);
        Assert.Contains("never under the requirement", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Not coverable", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DateTime,Calls\n2003-03-03T07:00:00Z,abc\n", "line 2: 'abc' is not a count of calls.")]
    [InlineData("DateTime,Calls\nyesterday,3\n", "line 2: 'yesterday' is not a date and time.")]
    [InlineData("When,Calls\n2003-03-03T07:00:00Z,3\n", "needs a time column")]
    [InlineData("", "is empty")]
    [InlineData("DateTime,Calls\n2003-03-03T03:00:00Z,3\n", "has no rows within opening hours (1 outside).")]
    [InlineData("DateTime,Calls\n2003-03-03T07:00:00Z,3\n", "not enough history before 2003-03-04")]
    public async Task BadHistory_IsNamedPrecisely(string csv, string message)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, csv, TestContext.Current.CancellationToken);
        try
        {
            var (code, _, error) = await RunAsync("--history", file);
            Assert.Equal(2, code);
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheCrmsDrivers_JoinTheModelChoice_AndABadDriverFileIsNamed()
    {
        var drivers = Path.GetTempFileName();
        var lines = Enumerable.Range(0, 200).Select(i => new DateOnly(2003, 3, 3).AddDays(i)).Select((d, i) => $"{d:yyyy-MM-dd},{i % 7 * 100}");
        await File.WriteAllLinesAsync(drivers, ["Date,campaign_sends", .. lines], TestContext.Current.CancellationToken);
        try
        {
            var (code, output, error) = await RunAsync("--history", SharedData.Find("bank_calls-train.csv"), "--regressors", drivers, "--evaluate", "3");
            Assert.True(code == 0, error);
            Assert.Contains("Drivers: campaign_sends.", output, StringComparison.Ordinal);
            Assert.Contains("Forecast for 2003-08-22", output, StringComparison.Ordinal);

            await File.WriteAllTextAsync(drivers, "Date,campaign_sends\n2003-03-03,lots\n", TestContext.Current.CancellationToken);
            var (bad, _, badError) = await RunAsync("--history", SharedData.Find("bank_calls-train.csv"), "--regressors", drivers);
            Assert.Equal(2, bad);
            Assert.Contains("line 2, column campaign_sends: 'lots' is not a number.", badError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(drivers);
        }
    }

    [Theory]
    [InlineData("--opens", "25:00", "--opens and --closes must be HH:mm")]
    [InlineData("--report-interval", "7", "a multiple of it")]
    [InlineData("--service-level", "1.5", "--service-level must be above 0 and below 1.")]
    [InlineData("--shrinkage", "1", "--shrinkage must be at least 0 and below 1.")]
    [InlineData("--day", "22/08/2003", "--day '22/08/2003' is not a date")]
    public async Task BadOptions_AreNamed(string option, string value, string message)
    {
        var (code, _, error) = await RunAsync("--history", SharedData.Find("bank_calls-train.csv"), option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
