using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>The optimistic-concurrency step every change goes through.</summary>
internal static class RecordChanges
{
    /// <summary>
    /// Makes the UPDATE conditional on the version the caller read (<c>WHERE Version = @read</c>) and moves the
    /// record to the next version. A concurrent writer that got there first makes the UPDATE match no row.
    /// </summary>
    public static void Bump(SwitchboardDbContext db, CrmRecord record, long readVersion, TimeProvider time)
    {
        db.Entry(record).Property(r => r.Version).OriginalValue = readVersion;
        record.Version = readVersion + 1;
        record.UpdatedAt = time.GetUtcNow().UtcDateTime;
    }

    /// <summary>Saves everything tracked in one transaction; a lost race or a taken unique key changes nothing.</summary>
    public static async Task<Error?> SaveAsync(SwitchboardDbContext db, string entityName, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Error.StaleVersion(entityName);
        }
        catch (DbUpdateException)
        {
            // The checks before saving found no duplicate, so another writer took the key in between
            // (or a record referenced by this one was deleted in between): the caller may retry.
            db.ChangeTracker.Clear();
            return new Error(ErrorKind.Conflict, ErrorCodes.Duplicate,
                $"The {entityName} conflicts with a change made at the same time; read again and retry.");
        }
    }
}
