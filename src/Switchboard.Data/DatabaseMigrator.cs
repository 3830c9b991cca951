using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Persistence;

namespace Switchboard.Data;

/// <summary>Applies the configured provider's migrations; used at start and by <c>switchboard migrate</c>.</summary>
public sealed class DatabaseMigrator(SwitchboardDbContext db)
{
    /// <summary>Migrates to the latest version and returns the migrations that were applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (screen pops) run while one writer commits; it is stored in the file, so once is enough.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        await db.Database.MigrateAsync(cancellationToken);
        // A bulk load (seed, import into an empty store) that died before rebuilding its suspended indexes left them missing.
        await IndexSuspension.RestoreAsync(db, cancellationToken);
        return pending;
    }

    /// <summary>True when the store answers a trivial query.</summary>
    public Task<bool> CanConnectAsync(CancellationToken cancellationToken) => db.Database.CanConnectAsync(cancellationToken);
}
