using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Switchboard.Core.Persistence;

/// <summary>
/// Drops the model's secondary indexes before a bulk load into empty tables and builds them again after:
/// one sort per index instead of millions of random B-tree inserts. The SQL comes from the provider's own
/// migrations generator, so the rebuilt indexes are exactly the ones the migrations made (unique ones
/// included: a duplicate in the loaded data fails the rebuild, and the load with it). A load that dies before its
/// rebuild leaves indexes missing: <see cref="RestoreAsync"/> makes whatever the store lacks, and every migration
/// (each start, each command) calls it.
/// </summary>
internal static class IndexSuspension
{
    /// <summary>Drops the secondary indexes of <paramref name="entities"/> (of every entity type when none are named).</summary>
    public static Task DropAsync(DbContext db, CancellationToken cancellationToken, params Type[] entities) =>
        ExecuteAsync(db, Indexes(db).Where(i => entities.Length == 0 || entities.Contains(i.Entity))
            .Select(i => (MigrationOperation)new DropIndexOperation { Name = i.Name, Table = i.Table }), cancellationToken);

    /// <summary>Creates every index of the model that the store does not have; returns how many.</summary>
    public static async Task<int> RestoreAsync(DbContext db, CancellationToken cancellationToken)
    {
        var existing = await ExistingAsync(db, cancellationToken);
        var missing = Indexes(db).Where(i => !existing.Contains(i.Name)).ToList();
        foreach (var index in missing)
        {
            // IF NOT EXISTS (both stores have it): two nodes starting together, or a command beside a server, may both
            // find an index missing. On SQLite the second create is a no-op; PostgreSQL's check is not atomic, so the
            // loser of a race fails on its catalog: fine if the index is there now (a duplicate key in the data that a
            // unique index refuses fails the same way, and the index is then not there).
            try
            {
                await ExecuteAsync(db, [new CreateIndexOperation { Name = index.Name, Table = index.Table, Columns = index.Columns, IsUnique = index.IsUnique }],
                    cancellationToken, sql => sql
                        .Replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", StringComparison.Ordinal)
                        .Replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", StringComparison.Ordinal));
            }
            catch (DbException)
            {
                if (!(await ExistingAsync(db, cancellationToken)).Contains(index.Name))
                {
                    throw;
                }
            }
        }
        return missing.Count;
    }

    private static async Task<HashSet<string>> ExistingAsync(DbContext db, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<string>(StoreKind.IsSqlite(db)
            ? "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index'"
            : "SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = ANY (current_schemas(false))").ToListAsync(cancellationToken))
        .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(Type Entity, string Name, string Table, string[] Columns, bool IsUnique)> Indexes(DbContext db) =>
        from entityType in db.Model.GetEntityTypes()
        let table = entityType.GetTableName()!
        let store = StoreObjectIdentifier.Table(table, entityType.GetSchema())
        from index in entityType.GetIndexes()
        select (entityType.ClrType, index.GetDatabaseName(store)!, table, index.Properties.Select(p => p.GetColumnName(store)!).ToArray(), index.IsUnique);

    private static async Task ExecuteAsync(DbContext db, IEnumerable<MigrationOperation> operations, CancellationToken cancellationToken,
        Func<string, string>? rewrite = null)
    {
        var commands = db.GetService<IMigrationsSqlGenerator>().Generate(operations.ToList(), db.Model);
        foreach (var command in commands)
        {
            await db.Database.ExecuteSqlRawAsync(rewrite?.Invoke(command.CommandText) ?? command.CommandText, cancellationToken);
        }
    }
}
