using Microsoft.EntityFrameworkCore;

namespace Switchboard.Core.Persistence;

/// <summary>Which provider a context runs on, for the few places that tune for it (Core does not reference providers).</summary>
internal static class StoreKind
{
    public static bool IsSqlite(DbContext db) => db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";
}
