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
/// included: a duplicate in the loaded data fails the rebuild, and the load with it).
/// </summary>
internal static class IndexSuspension
{
    public static Task DropAsync(DbContext db, CancellationToken cancellationToken) =>
        ExecuteAsync(db, Indexes(db).Select(i => (MigrationOperation)new DropIndexOperation { Name = i.Name, Table = i.Table }), cancellationToken);

    public static Task RebuildAsync(DbContext db, CancellationToken cancellationToken) =>
        ExecuteAsync(db, Indexes(db).Select(i => (MigrationOperation)new CreateIndexOperation
        {
            Name = i.Name, Table = i.Table, Columns = i.Columns, IsUnique = i.IsUnique,
        }), cancellationToken);

    private static IEnumerable<(string Name, string Table, string[] Columns, bool IsUnique)> Indexes(DbContext db) =>
        from entityType in db.Model.GetEntityTypes()
        let table = entityType.GetTableName()!
        let store = StoreObjectIdentifier.Table(table, entityType.GetSchema())
        from index in entityType.GetIndexes()
        select (index.GetDatabaseName(store)!, table, index.Properties.Select(p => p.GetColumnName(store)!).ToArray(), index.IsUnique);

    private static async Task ExecuteAsync(DbContext db, IEnumerable<MigrationOperation> operations, CancellationToken cancellationToken)
    {
        var commands = db.GetService<IMigrationsSqlGenerator>().Generate(operations.ToList(), db.Model);
        foreach (var command in commands)
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, cancellationToken);
        }
    }
}
