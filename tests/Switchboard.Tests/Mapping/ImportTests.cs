using System.Text;
using Microsoft.Data.Sqlite;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Mapping;

/// <summary><c>switchboard import</c> end to end, on SQLite files written the ways real exports are.</summary>
public sealed class ImportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchboard-import-").FullName;

    private string DataDir => Path.Combine(_dir, "data");

    private string Spec()
    {
        var path = Path.Combine(_dir, "salesforce.yaml");
        File.WriteAllText(path, MappingEngineTests.SalesforceYaml);
        return path;
    }

    private const string Csv = "Id,Name,Value_Tier__c,MobilePhone,Tags__c,Stage__c,BillingState\r\n"
        + "001A,\"上海ＡＢＣ贸易\r\n有限公司\",A,138 0013 8000,续约;大客户,Customer,浙江\r\n" // a quoted name with a line break in it
        + "001B,\"'=HYPERLINK(\"\"http://evil\"\")\",C,+86 139 0000 1111,,Lead,\r\n"         // a defused formula stays text
        + "001C,Bad phone,B,call me,,Customer,\r\n"                                          // quarantined: the phone
        + "001D,Unmapped tier,Z,,,Customer,\r\n"                                             // quarantined: the tier
        + "001E,Stray \"quote,C,,,Customer,\r\n"                                              // quarantined: malformed CSV
        + "001A,上海ABC贸易有限公司,A,138 0013 8000,续约;大客户,Customer,浙江\r\n";              // the same id again: the later row wins

    [Fact]
    public async Task AFile_IsImported_BadRowsQuarantined_AndImportingItAgainChangesNothing()
    {
        var file = Path.Combine(_dir, "accounts.csv");
        await File.WriteAllTextAsync(file, Csv, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), TestContext.Current.CancellationToken); // with a BOM, as Excel writes it

        var (code, output, error) = await RunAsync("import", "--mapping", Spec(), "--file", file, "--data-dir", DataDir);
        Assert.True(code == 0, error);
        Assert.Contains("6 rows", output, StringComparison.Ordinal);
        Assert.Contains("2 created, 0 updated, 0 unchanged, 3 quarantined, 1 superseded", output, StringComparison.Ordinal);

        Assert.Equal("上海ABC贸易有限公司", await ScalarAsync("SELECT c.DisplayName FROM Customers c JOIN ExternalIds e ON e.EntityId = c.Id WHERE e.System = 'salesforce' AND e.Key = '001A'"));
        Assert.Equal("=HYPERLINK(\"http://evil\")", await ScalarAsync("SELECT c.DisplayName FROM Customers c JOIN ExternalIds e ON e.EntityId = c.Id WHERE e.Key = '001B'"));
        Assert.Equal("+8613900001111", await ScalarAsync("SELECT p.E164 FROM ContactPoints p JOIN ExternalIds e ON e.EntityId = p.CustomerId WHERE e.Key = '001B'"));
        var reasons = await ScalarAsync("SELECT group_concat(Reasons, ' | ') FROM ImportQuarantine");
        Assert.Contains("MobilePhone", reasons, StringComparison.Ordinal);
        Assert.Contains("Value_Tier__c", reasons, StringComparison.Ordinal);
        Assert.Contains("malformed CSV", reasons, StringComparison.Ordinal);
        Assert.Equal("2", await ScalarAsync("SELECT count(*) FROM AuditLog WHERE Action = 'Create' AND RecordType = 'customer'"));
        // The store was empty: customers' and contact points' indexes were suspended for the load and are all back.
        Assert.Contains("indexes were suspended", output, StringComparison.Ordinal);
        Assert.Equal("1", await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'IX_ContactPoints_ReversedDigits'"));
        Assert.Equal("1", await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'IX_Customers_NameKey'"));
        var (verified, verifyOutput, _) = await RunAsync("audit", "verify", "--data-dir", DataDir);
        Assert.True(verified == 0, verifyOutput);

        var (again, secondOutput, _) = await RunAsync("import", "--mapping", Spec(), "--file", file, "--data-dir", DataDir);
        Assert.Equal(0, again);
        Assert.Contains("0 created, 0 updated, 2 unchanged, 3 quarantined, 1 superseded", secondOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("indexes were suspended", secondOutput, StringComparison.Ordinal); // never on a store with customers
        Assert.Equal("2", await ScalarAsync("SELECT count(*) FROM Customers"));
        Assert.Equal("2", await ScalarAsync("SELECT count(*) FROM AuditLog WHERE Action = 'Create' AND RecordType = 'customer'")); // nothing written, nothing audited

        // A changed row updates its customer, through the replica's save (audited as an update).
        await File.WriteAllTextAsync(file, "Id,Name,Value_Tier__c\r\n001B,Renamed Ltd,B\r\n", TestContext.Current.CancellationToken);
        var (third, thirdOutput, _) = await RunAsync("import", "--mapping", Spec(), "--file", file, "--data-dir", DataDir);
        Assert.Equal(0, third);
        Assert.Contains("0 created, 1 updated", thirdOutput, StringComparison.Ordinal);
        Assert.Equal("gold", (await ScalarAsync("SELECT c.Tier FROM Customers c JOIN ExternalIds e ON e.EntityId = c.Id WHERE e.Key = '001B'")).ToLowerInvariant());
        Assert.Equal("1", await ScalarAsync("SELECT count(*) FROM AuditLog WHERE Action = 'Update' AND RecordType = 'customer'"));
    }

    [Theory]
    [InlineData("utf-16", null)]
    [InlineData("gb18030", "gb18030")]
    public async Task OtherEncodings_AreRead(string written, string? told)
    {
        var file = Path.Combine(_dir, "accounts.csv");
        var encoding = written == "utf-16" ? Encoding.Unicode : Switchboard.Core.Mapping.ImportFiles.EncodingOf("gb18030")!;
        await File.WriteAllBytesAsync(file, [.. encoding.GetPreamble(), .. encoding.GetBytes("Id,Name\r\nX1,北京某某科技有限公司\r\n")], TestContext.Current.CancellationToken);
        string[] args = ["import", "--mapping", Spec(), "--file", file, "--data-dir", DataDir];
        var (code, output, error) = await RunAsync(told is null ? args : [.. args, "--encoding", told]);
        Assert.True(code == 0, error);
        Assert.Contains("1 created", output, StringComparison.Ordinal);
        Assert.Equal("北京某某科技有限公司", await ScalarAsync("SELECT DisplayName FROM Customers"));
    }

    [Fact]
    public async Task JsonLines_WithBadLines_AreImported_AndTheBadLinesQuarantined()
    {
        var file = Path.Combine(_dir, "accounts.jsonl");
        await File.WriteAllTextAsync(file, """
            {"Id":"J1","Name":"Acme","Value_Tier__c":"A","Tags__c":"x;y"}
            {"Id":"J2","Name":
            [1,2,3]

            {"Id":"J3","Name":"Beta","MobilePhone":"+1 415 555 0100"}
            """, TestContext.Current.CancellationToken);
        var (code, output, error) = await RunAsync("import", "--mapping", Spec(), "--file", file, "--data-dir", DataDir);
        Assert.True(code == 0, error);
        Assert.Contains("2 created, 0 updated, 0 unchanged, 2 quarantined", output, StringComparison.Ordinal);
        Assert.Equal("2,3", await ScalarAsync("SELECT group_concat(Line, ',') FROM (SELECT Line FROM ImportQuarantine ORDER BY Line)"));
    }

    [Theory]
    [InlineData("import --file x.csv", "--mapping")]
    [InlineData("import --mapping nothing.yaml --file nothing.csv", "does not exist")]
    public async Task BadArguments_FailWithAPreciseMessage(string args, string mentioned)
    {
        var (code, _, error) = await RunAsync(args.Split(' '));
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadSpec_OrAnUnknownEncoding_StopsBeforeAnythingIsRead()
    {
        var spec = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(spec, """{"name":"x","entity":"customer","system":"crm","key":"Id","fields":[{"target":"shoeSize","source":"S"}]}""", TestContext.Current.CancellationToken);
        var file = Path.Combine(_dir, "a.csv");
        await File.WriteAllTextAsync(file, "Id\r\n1\r\n", TestContext.Current.CancellationToken);
        var (code, _, error) = await RunAsync("import", "--mapping", spec, "--file", file, "--data-dir", DataDir);
        Assert.Equal(1, code);
        Assert.Contains("fields[0].target", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("import", "--mapping", Spec(), "--file", file, "--encoding", "klingon", "--data-dir", DataDir);
        Assert.Equal(2, code);
        Assert.Contains("klingon", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDir)); // no store was even opened
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDir, "switchboard.db")};Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync(args);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp directory is cleaned by the system.
        }
    }
}
