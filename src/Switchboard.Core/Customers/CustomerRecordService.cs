using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>
/// Create, read, replace, delete and list for a record type a customer owns. One change is one
/// <c>SaveChanges</c>, so the record and its external ids are written together or not at all; a write
/// that names a stale version changes nothing and returns <see cref="ErrorKind.Conflict"/>.
/// </summary>
internal sealed class CustomerRecordService<TEntity, TInput, TView>(
    SwitchboardDbContext db,
    TimeProvider time,
    IRecordProfile<TEntity, TInput, TView> profile)
    where TEntity : CrmRecord, ICustomerOwned, new()
    where TInput : IRecordInput
{
    public async Task<Result<TView>> CreateAsync(Guid customerId, TInput input, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } invalid)
        {
            return invalid;
        }
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Error.NotFound("customer");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entity = new TEntity { Id = Ids.New(time), CustomerId = customerId, CreatedAt = now, UpdatedAt = now };
        profile.Apply(input, entity, time);
        if (await CheckUniqueAsync(entity, input, cancellationToken) is { } taken)
        {
            return taken;
        }

        db.Add(entity);
        await ExternalIdMap.ReplaceAsync(db, time, profile.EntityType, entity.Id, input.ExternalIds, isNew: true, cancellationToken);
        return await SaveAsync(entity, cancellationToken);
    }

    public async Task<Result<TView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var entity = await db.Set<TEntity>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        return entity is null ? Error.NotFound(profile.Name) : await ToViewAsync(entity, cancellationToken);
    }

    public async Task<Result<TView>> ReplaceAsync(Guid id, long? version, TInput input, CancellationToken cancellationToken)
    {
        if (Validate(input, versionMissing: version is null) is { } invalid)
        {
            return invalid;
        }
        var entity = await db.Set<TEntity>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entity is null)
        {
            return Error.NotFound(profile.Name);
        }
        if (entity.Version != version)
        {
            return Error.StaleVersion(profile.Name);
        }

        profile.Apply(input, entity, time);
        if (await CheckUniqueAsync(entity, input, cancellationToken) is { } taken)
        {
            return taken;
        }
        RecordChanges.Bump(db, entity, version!.Value, time);
        await ExternalIdMap.ReplaceAsync(db, time, profile.EntityType, entity.Id, input.ExternalIds, isNew: false, cancellationToken);
        return await SaveAsync(entity, cancellationToken);
    }

    public async Task<Result<bool>> DeleteAsync(Guid id, long? version, CancellationToken cancellationToken)
    {
        var entity = await db.Set<TEntity>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entity is null)
        {
            return Error.NotFound(profile.Name);
        }
        if (version is not null && entity.Version != version)
        {
            return Error.StaleVersion(profile.Name);
        }
        db.Remove(entity);
        await ExternalIdMap.RemoveAllAsync(db, profile.EntityType, id, cancellationToken);
        return await RecordChanges.SaveAsync(db, profile.Name, cancellationToken) is { } error ? error : true;
    }

    /// <summary>The customer's records, newest first.</summary>
    public async Task<Result<Page<TView>>> ListAsync(Guid customerId, PageRequest page, CancellationToken cancellationToken)
    {
        var resolved = page.Resolve();
        if (!resolved.IsSuccess)
        {
            return resolved.Error;
        }
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Error.NotFound("customer");
        }
        var (after, limit) = resolved.Value;
        var query = db.Set<TEntity>().AsNoTracking().Where(e => e.CustomerId == customerId);
        if (after is { } last)
        {
            query = query.Where(e => e.Id.CompareTo(last) < 0);
        }
        var rows = await query.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(limit).ToList();
        var externalIds = await ExternalIdMap.LoadAsync(db, items.Select(e => e.Id).ToList(), cancellationToken);
        var views = items.Select(e => profile.ToView(e, externalIds[e.Id].ToList())).ToList();
        return new Page<TView>(views, rows.Count > limit ? Cursor.Encode(items[^1].Id) : null);
    }

    private Error? Validate(TInput input, bool versionMissing = false)
    {
        var errors = new ValidationErrors();
        profile.Validate(input, errors);
        ExternalIdMap.Validate(input.ExternalIds, errors);
        if (versionMissing)
        {
            errors.Add("version", "is required to replace a record: send the version you read, in the body or in If-Match.");
        }
        return errors.Any ? errors.ToError() : null;
    }

    private async Task<Error?> CheckUniqueAsync(TEntity entity, TInput input, CancellationToken cancellationToken) =>
        await profile.CheckUniqueAsync(db, entity, cancellationToken)
        ?? await ExternalIdMap.FindTakenAsync(db, profile.EntityType, entity.Id, input.ExternalIds, cancellationToken);

    private async Task<Result<TView>> SaveAsync(TEntity entity, CancellationToken cancellationToken) =>
        await RecordChanges.SaveAsync(db, profile.Name, cancellationToken) is { } error
            ? error
            : await ToViewAsync(entity, cancellationToken);

    private async Task<TView> ToViewAsync(TEntity entity, CancellationToken cancellationToken)
    {
        var externalIds = await ExternalIdMap.LoadAsync(db, [entity.Id], cancellationToken);
        return profile.ToView(entity, externalIds[entity.Id].ToList());
    }
}
