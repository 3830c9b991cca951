using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Customers.Profiles;
using Switchboard.Core.Diagnostics;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>Customers of the replica: create with their contact points, read, replace, delete, search.</summary>
internal sealed class CustomerService(
    SwitchboardDbContext db,
    TimeProvider time,
    PhoneNormalizer phones,
    ContactPointProfile contactPoints)
{
    public async Task<Result<CustomerView>> CreateAsync(CustomerInput input, CancellationToken cancellationToken, bool mayGovern = true)
    {
        var errors = Validate(input);
        for (var i = 0; i < (input.ContactPoints?.Count ?? 0); i++)
        {
            ContactPointProfile.Validate(input.ContactPoints![i], errors, $"contactPoints[{i}].");
            ExternalIdMap.Validate(input.ContactPoints[i]?.ExternalIds, errors, $"contactPoints[{i}].externalIds");
        }
        if (input.ContactPoints?.Count > Limits.MaxContactPoints)
        {
            errors.Add("contactPoints", $"must hold at most {Limits.MaxContactPoints} entries.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var customer = new Customer { Id = Ids.New(time), CreatedAt = now, UpdatedAt = now };
        // What Apply gives when none is sent; a new customer may start as a lead or a prospect whoever records it (an
        // agent makes a lead of an unknown caller), but not as loyal, at risk or churned.
        (ValueTier, LifecycleStage, string?, string?) defaults = (ValueTier.Standard,
            input.Lifecycle is LifecycleStage.Lead or LifecycleStage.Prospect ? input.Lifecycle.Value : LifecycleStage.Active, null, null);
        Apply(input, customer);
        if (!mayGovern && Ungoverned(defaults, customer) is { } forbidden)
        {
            return forbidden;
        }
        if (await CheckReferencesAsync(customer, input, cancellationToken) is { } referenceError)
        {
            return referenceError;
        }
        db.Customers.Add(customer);
        await ExternalIdMap.ReplaceAsync(db, time, CrmEntity.Customer, customer.Id, input.ExternalIds, isNew: true, cancellationToken);

        foreach (var pointInput in input.ContactPoints ?? [])
        {
            var point = new ContactPoint { Id = Ids.New(time), CustomerId = customer.Id, CreatedAt = now, UpdatedAt = now };
            contactPoints.Apply(pointInput, point, time);
            if (await ExternalIdMap.FindTakenAsync(db, CrmEntity.ContactPoint, point.Id, pointInput.ExternalIds, cancellationToken) is { } taken)
            {
                db.ChangeTracker.Clear();
                return taken;
            }
            customer.ContactPoints.Add(point);
            await ExternalIdMap.ReplaceAsync(db, time, CrmEntity.ContactPoint, point.Id, pointInput.ExternalIds, isNew: true, cancellationToken);
        }

        return await RecordChanges.SaveAsync(db, "customer", cancellationToken) is { } error
            ? error
            : await ToViewAsync(customer, cancellationToken);
    }

    public async Task<Result<CustomerView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().Include(c => c.ContactPoints).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return customer is null ? Error.NotFound("customer") : await ToViewAsync(customer, cancellationToken);
    }

    public async Task<Result<CustomerView>> ReplaceAsync(Guid id, long? version, CustomerInput input, CancellationToken cancellationToken, bool mayGovern = true)
    {
        var errors = Validate(input);
        if (version is null)
        {
            errors.Add("version", "is required to replace a record: send the version you read, in the body or in If-Match.");
        }
        if (input.ContactPoints is not null)
        {
            errors.Add("contactPoints", $"are changed through /api/v1/customers/{{id}}/contact-points, not by replacing the customer.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var customer = await db.Customers.Include(c => c.ContactPoints).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer");
        }
        if (customer.Version != version)
        {
            return Error.StaleVersion("customer");
        }
        var before = Governance(customer);
        Apply(input, customer);
        if (!mayGovern && Ungoverned(before, customer) is { } forbidden)
        {
            return forbidden; // nothing is saved: the request's context is dropped
        }
        if (await CheckReferencesAsync(customer, input, cancellationToken) is { } referenceError)
        {
            return referenceError;
        }
        RecordChanges.Bump(db, customer, version.Value, time);
        await ExternalIdMap.ReplaceAsync(db, time, CrmEntity.Customer, customer.Id, input.ExternalIds, isNew: false, cancellationToken);
        return await RecordChanges.SaveAsync(db, "customer", cancellationToken) is { } error
            ? error
            : await ToViewAsync(customer, cancellationToken);
    }

    /// <summary>Deletes the customer, everything it owns and their external ids, in one transaction.</summary>
    public async Task<Result<bool>> DeleteAsync(Guid id, long? version, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("customer");
        }
        if (version is not null && customer.Version != version)
        {
            return Error.StaleVersion("customer");
        }

        await StageRemovalAsync(db, customer, cancellationToken);
        return await RecordChanges.SaveAsync(db, "customer", cancellationToken) is { } error ? error : true; // one SaveChanges: one transaction
    }

    /// <summary>
    /// Stages a tracked customer's removal for the next save: everything it owns is loaded first, so that EF deletes each
    /// record itself (cascading in memory) and the audit trail gets every one of them, with its values, not only the
    /// customer; their external ids go too. (The API's delete and a sync's tombstone.)
    /// </summary>
    internal static async Task StageRemovalAsync(SwitchboardDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var id = customer.Id;
        await db.ContactPoints.Where(e => e.CustomerId == id).LoadAsync(cancellationToken);
        await db.Orders.Where(e => e.CustomerId == id).LoadAsync(cancellationToken);
        await db.Tickets.Where(e => e.CustomerId == id).Include(t => t.Updates).LoadAsync(cancellationToken);
        await db.Opportunities.Where(e => e.CustomerId == id).LoadAsync(cancellationToken);
        await db.FollowUpTasks.Where(e => e.CustomerId == id).LoadAsync(cancellationToken);
        await db.Interactions.Where(e => e.CustomerId == id).LoadAsync(cancellationToken);
        await db.Customers.Where(c => c.CompanyId == id).LoadAsync(cancellationToken); // a company's contacts lose it (set null), audited too
        // Its own records only (a sync's batch tracks other customers too; a company's contacts stay, with their ids).
        var owned = db.ChangeTracker.Entries<CrmRecord>().Where(e => e.Entity is ICustomerOwned o && o.CustomerId == id).Select(e => e.Entity.Id)
            .ToList();
        var tickets = db.ChangeTracker.Entries<Ticket>().Where(e => e.Entity.CustomerId == id).Select(e => e.Entity.Id).ToHashSet();
        owned.AddRange(db.ChangeTracker.Entries<TicketUpdate>().Where(e => tickets.Contains(e.Entity.TicketId)).Select(e => e.Entity.Id));
        db.ExternalIds.RemoveRange(await db.ExternalIds.Where(e => e.EntityId == id || EF.Parameter(owned).Contains(e.EntityId)).ToListAsync(cancellationToken));
        db.Customers.Remove(customer);
    }

    public async Task<Result<Page<CustomerView>>> ListAsync(CustomerQuery filter, PageRequest page, CancellationToken cancellationToken)
    {
        var resolved = page.Resolve();
        var errors = new ValidationErrors();
        if (!resolved.IsSuccess)
        {
            return resolved.Error;
        }
        errors.MaxLength("phone", filter.Phone, Limits.Code);
        errors.MaxLength("name", filter.Name, Limits.Name);
        errors.MaxLength("email", filter.Email, Limits.ContactRaw);
        errors.MaxLength("externalSystem", filter.ExternalSystem, Limits.Code);
        errors.MaxLength("externalId", filter.ExternalId, Limits.ExternalKey);
        if (errors.Any)
        {
            return errors.ToError();
        }
        var query = db.Customers.AsNoTracking();
        if (filter.Phone is not null)
        {
            var number = phones.Normalize(filter.Phone);
            if (number.E164 is null)
            {
                SwitchboardTelemetry.PhoneLookups.Add(1, new KeyValuePair<string, object?>("outcome", "unparseable"));
                errors.Add("phone", "is not a phone number that can be normalised.");
            }
            else
            {
                var e164 = number.E164;
                query = query.Where(c => db.ContactPoints.Where(p => p.E164 == e164).Select(p => p.CustomerId).Contains(c.Id));
            }
        }
        if (filter.Email is not null)
        {
            var email = filter.Email.Trim().ToLowerInvariant();
            query = query.Where(c => db.ContactPoints.Where(p => p.Email == email).Select(p => p.CustomerId).Contains(c.Id));
        }
        if (filter.Name is not null)
        {
            var key = SearchKeys.Name(filter.Name);
            if (key.Length == 0)
            {
                errors.Add("name", "must not be empty.");
            }
            query = query.Where(c => c.NameKey.Contains(key));
        }
        if (filter.ExternalSystem is not null || filter.ExternalId is not null)
        {
            if (string.IsNullOrWhiteSpace(filter.ExternalSystem) || string.IsNullOrWhiteSpace(filter.ExternalId))
            {
                errors.Add("externalId", "and externalSystem are given together.");
            }
            else
            {
                var found = await ExternalIdMap.FindEntityAsync(db, CrmEntity.Customer, filter.ExternalSystem, filter.ExternalId, cancellationToken);
                query = query.Where(c => c.Id == found);
            }
        }
        if (filter.CompanyId is { } companyId)
        {
            query = query.Where(c => c.CompanyId == companyId);
        }
        if (filter.Tier is { } tier)
        {
            errors.Defined("tier", tier);
            query = query.Where(c => c.Tier == tier);
        }
        if (errors.Any)
        {
            return errors.ToError();
        }

        var (after, limit) = resolved.Value;
        if (after is { } last)
        {
            query = query.Where(c => c.Id.CompareTo(last) > 0);
        }
        var rows = await query.OrderBy(c => c.Id).Take(limit + 1).Include(c => c.ContactPoints).ToListAsync(cancellationToken);
        var items = rows.Take(limit).ToList();
        if (filter.Phone is not null)
        {
            SwitchboardTelemetry.PhoneLookups.Add(1, new KeyValuePair<string, object?>("outcome", items.Count > 0 ? "found" : "none"));
        }
        var views = await ToViewsAsync(items, cancellationToken);
        return new Page<CustomerView>(views, rows.Count > limit ? Cursor.Encode(items[^1].Id) : null);
    }

    private static ValidationErrors Validate(CustomerInput input)
    {
        var errors = new ValidationErrors();
        errors.Required("displayName", input.DisplayName, Limits.Name);
        Rules.Enum(errors, "kind", input.Kind);
        Rules.Enum(errors, "tier", input.Tier);
        Rules.Enum(errors, "lifecycle", input.Lifecycle);
        errors.MaxLength("region", input.Region, Limits.Code);
        errors.MaxLength("preferredLanguage", input.PreferredLanguage, Limits.Language);
        errors.MaxLength("ownerAgentId", input.OwnerAgentId, Limits.Code);
        errors.MaxLength("ownerTeam", input.OwnerTeam, Limits.Code);
        if (input.Tags is { } tags)
        {
            if (tags.Count > Limits.MaxTags)
            {
                errors.Add("tags", $"must hold at most {Limits.MaxTags} tags.");
            }
            for (var i = 0; i < tags.Count; i++)
            {
                errors.Required($"tags[{i}]", tags[i], Limits.Tag);
            }
        }
        if (input.Kind == CustomerKind.Company && input.CompanyId is not null)
        {
            errors.Add("companyId", "is for people: a company is not a contact of another company.");
        }
        ExternalIdMap.Validate(input.ExternalIds, errors);
        return errors;
    }

    /// <summary>The fields only governing roles change: value tier, lifecycle stage and owner (no mass assignment through a full replace).</summary>
    private static (ValueTier Tier, LifecycleStage Lifecycle, string? OwnerAgentId, string? OwnerTeam) Governance(Customer customer) =>
        (customer.Tier, customer.Lifecycle, customer.OwnerAgentId, customer.OwnerTeam);

    private static Error? Ungoverned((ValueTier Tier, LifecycleStage Lifecycle, string? OwnerAgentId, string? OwnerTeam) before, Customer after)
    {
        var changed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(string field, bool same)
        {
            if (!same)
            {
                changed[field] = ["may not be changed by your role."];
            }
        }
        Check("tier", before.Tier == after.Tier);
        Check("lifecycle", before.Lifecycle == after.Lifecycle);
        Check("ownerAgentId", before.OwnerAgentId == after.OwnerAgentId);
        Check("ownerTeam", before.OwnerTeam == after.OwnerTeam);
        return changed.Count == 0 ? null
            : new Error(ErrorKind.Forbidden, "field.forbidden", $"Your role may not change {string.Join(", ", changed.Keys)}; nothing was written.", changed);
    }

    private static void Apply(CustomerInput input, Customer customer)
    {
        customer.Kind = input.Kind ?? CustomerKind.Person;
        customer.DisplayName = input.DisplayName!.Trim();
        customer.NameKey = SearchKeys.Name(customer.DisplayName);
        customer.Tier = input.Tier ?? ValueTier.Standard;
        customer.Lifecycle = input.Lifecycle ?? LifecycleStage.Active;
        customer.Tags = (input.Tags ?? []).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        customer.Region = Rules.Trimmed(input.Region);
        customer.PreferredLanguage = Rules.Trimmed(input.PreferredLanguage);
        customer.OwnerAgentId = Rules.Trimmed(input.OwnerAgentId);
        customer.OwnerTeam = Rules.Trimmed(input.OwnerTeam);
        customer.CompanyId = input.CompanyId;
    }

    private async Task<Error?> CheckReferencesAsync(Customer customer, CustomerInput input, CancellationToken cancellationToken)
    {
        if (customer.CompanyId is { } companyId
            && (companyId == customer.Id
                || !await db.Customers.AnyAsync(c => c.Id == companyId && c.Kind == CustomerKind.Company, cancellationToken)))
        {
            return Error.Validation("companyId", "does not name a company in the replica.");
        }
        return await ExternalIdMap.FindTakenAsync(db, CrmEntity.Customer, customer.Id, input.ExternalIds, cancellationToken);
    }

    private async Task<CustomerView> ToViewAsync(Customer customer, CancellationToken cancellationToken) =>
        (await ToViewsAsync([customer], cancellationToken))[0];

    private async Task<IReadOnlyList<CustomerView>> ToViewsAsync(IReadOnlyList<Customer> customers, CancellationToken cancellationToken)
    {
        var ids = customers.Select(c => c.Id).Concat(customers.SelectMany(c => c.ContactPoints).Select(p => p.Id)).ToList();
        var externalIds = await ExternalIdMap.LoadAsync(db, ids, cancellationToken);
        return customers.Select(c => new CustomerView(
            c.Id, c.Kind, c.DisplayName, c.Tier, c.Lifecycle, c.Tags, c.Region, c.PreferredLanguage, c.OwnerAgentId, c.OwnerTeam,
            c.CompanyId,
            c.ContactPoints.OrderByDescending(p => p.IsPrimary).ThenBy(p => p.Id)
                .Select(p => ContactPointProfile.ToViewOf(p, externalIds[p.Id].ToList())).ToList(),
            externalIds[c.Id].ToList(), c.Version, c.CreatedAt, c.UpdatedAt)).ToList();
    }
}
