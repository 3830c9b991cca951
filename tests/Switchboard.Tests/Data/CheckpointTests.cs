using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Hosting;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Data;

/// <summary>The server checkpoints SQLite's WAL in the background, not inside its commits (a ring's journal commit among them).</summary>
public sealed class CheckpointTests
{
    [Fact]
    public async Task TheServersConnections_NeverCheckpoint_TheCheckpointerDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        var autocheckpoint = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync(ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint;";
            var value = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.CloseConnectionAsync();
            return value;
        });
        Assert.Equal(0, autocheckpoint);

        var checkpointer = app.Services.GetRequiredService<SqliteCheckpointer>();
        var before = checkpointer.PagesCopied;
        for (var i = 0; i < 20; i++)
        {
            await client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"客户{i}", ContactPoints = [new() { Value = $"1380013{i:D4}" }] });
        }
        await Eventually.TrueAsync(() => checkpointer.PagesCopied > before, "The checkpointer should copy the new pages to the database within a few seconds.");
    }
}
