using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("switchboard-cli-").FullName;

    [Fact]
    public async Task Help_ListsTheVerbs()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "serve", "demo", "seed", "migrate" })
        {
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("seed", "--customers")]
    [InlineData("seed --customers 0", "--customers must be between 1 and 50,000,000")]
    [InlineData("seed --customers 5 --locale fr", "fr")]
    [InlineData("seed --customers many", "many")]
    [InlineData("seed --customers 5 --duplicates 0.9", "--duplicates must be between 0.01 and 0.5")]
    [InlineData("seed --customers 5 --truth t.csv", "--truth goes with --duplicates")]
    [InlineData("frobnicate", "frobnicate")]
    public async Task BadArguments_FailWithAPreciseMessage(string args, string mentioned)
    {
        var (code, _, error) = await RunAsync(args.Split(' '));
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateThenSeed_FillsTheStoreOnce_AndRefusesToSeedItTwice()
    {
        var (migrated, migrateOutput, _) = await RunAsync("migrate", "--data-dir", _dataDir);
        Assert.Equal(0, migrated);
        Assert.Matches(@"Applied \d+ migration\(s\): \d{14}_Initial", migrateOutput);
        Assert.Contains("up to date", (await RunAsync("migrate", "--data-dir", _dataDir)).Output, StringComparison.Ordinal);

        var (seeded, seedOutput, _) = await RunAsync("seed", "--customers", "120", "--locale", "en", "--as-of", "2026-01-01", "--data-dir", _dataDir);
        Assert.Equal(0, seeded);
        Assert.Contains("Seeded 120 customers", seedOutput, StringComparison.Ordinal);

        var (again, _, error) = await RunAsync("seed", "--customers", "5", "--data-dir", _dataDir);
        Assert.Equal(2, again);
        Assert.Contains("already holds customers", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TelephonyAddSource_PrintsTheSecretsOnce_AndRefusesBadOrDuplicateSources()
    {
        var (code, output, _) = await RunAsync("telephony", "add-source", "--name", "pbx-1", "--kind", "ZammadCti", "--default-queue", "service",
            "--extension", "201=agent-7", "--extension", "Emma Taylor=agent-8", "--data-dir", _dataDir);
        Assert.Equal(0, code);
        Assert.Matches(@"token:\s+\S{43}", output);
        Assert.Matches(@"POST /api/v1/cti/\S{43}", output);

        var (duplicate, _, duplicateError) = await RunAsync("telephony", "add-source", "--name", "pbx-1", "--kind", "Generic", "--data-dir", _dataDir);
        Assert.Equal(2, duplicate);
        Assert.Contains("exists", duplicateError, StringComparison.Ordinal);
        var (bad, _, badError) = await RunAsync("telephony", "add-source", "--name", "pbx-2", "--kind", "Generic", "--extension", "201", "--data-dir", _dataDir);
        Assert.Equal(2, bad);
        Assert.Contains("'201' is not EXT=AGENT", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_FindsTheChainIntact_AndACheckpointCatchesTruncation()
    {
        Assert.Equal(0, (await RunAsync("telephony", "add-source", "--name", "pbx-1", "--kind", "Generic", "--data-dir", _dataDir)).Code);
        Assert.True(File.Exists(Path.Combine(_dataDir, "audit.key")), "The chain's key is made outside the database on first use.");
        var (intact, intactOutput, _) = await RunAsync("audit", "verify", "--data-dir", _dataDir);
        Assert.Equal((0, "The audit chain is intact: 1 entry."), (intact, intactOutput.Trim()));

        var checkpoints = Path.Combine(_dataDir, "checkpoints.jsonl");
        Assert.Equal(0, (await RunAsync("telephony", "add-source", "--name", "pbx-2", "--kind", "Generic", "--data-dir", _dataDir)).Code);
        Assert.Equal(0, (await RunAsync("audit", "checkpoint", "--out", checkpoints, "--data-dir", _dataDir)).Code);

        // The last entry is deleted: the chain alone looks whole, the checkpoint kept outside does not agree.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, "switchboard.db")}"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var delete = db.CreateCommand();
            delete.CommandText = "DELETE FROM AuditLog WHERE Sequence = (SELECT MAX(Sequence) FROM AuditLog)";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }
        Assert.Equal(0, (await RunAsync("audit", "verify", "--data-dir", _dataDir)).Code);
        var (broken, brokenOutput, _) = await RunAsync("audit", "verify", "--checkpoints", checkpoints, "--data-dir", _dataDir);
        Assert.Equal(1, broken);
        Assert.Contains("broken at entry 2", brokenOutput, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync("audit", "verify", "--checkpoints", Path.Combine(_dataDir, "none.jsonl"), "--data-dir", _dataDir)).Code);
    }

    [Fact]
    public async Task UsersAdd_ReadsThePasswordFromStandardInput_AndApiKeysArePrintedOnce()
    {
        var (added, addedOutput, _) = await RunWithInputAsync("correct horse battery staple\n", "users", "add", "--name", "agent-007", "--role", "Agent", "--data-dir", _dataDir);
        Assert.Equal((0, "User 'agent-007' (Agent) added."), (added, addedOutput.Trim()));
        var (shortPassword, _, shortError) = await RunWithInputAsync("short\n", "users", "add", "--name", "agent-008", "--role", "Agent", "--data-dir", _dataDir);
        Assert.Equal(2, shortPassword);
        Assert.Contains("password must be 12–256 characters", shortError, StringComparison.Ordinal);
        Assert.NotEqual(0, (await RunAsync("users", "add", "--name", "x", "--role", "Emperor", "--data-dir", _dataDir)).Code);

        var (created, createdOutput, _) = await RunAsync("apikeys", "create", "--name", "pbx-1", "--role", "Integration", "--data-dir", _dataDir);
        Assert.Equal(0, created);
        var key = System.Text.RegularExpressions.Regex.Match(createdOutput, "sbk_[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(key);
        var (_, listed, _) = await RunAsync("apikeys", "list", "--data-dir", _dataDir);
        Assert.Contains("pbx-1\tIntegration\t" + key[..8], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("apikeys", "rotate", "--name", "pbx-1", "--overlap-hours", "1", "--data-dir", _dataDir)).Code);
        Assert.Contains("2 key(s)", (await RunAsync("apikeys", "revoke", "--name", "pbx-1", "--data-dir", _dataDir)).Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync(args);

    private static Task<(int Code, string Output, string Error)> RunWithInputAsync(string input, params string[] args) => CliRun.RunWithInputAsync(input, args);
}
