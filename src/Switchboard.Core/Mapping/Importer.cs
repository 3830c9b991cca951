using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Mapping;

/// <summary>One row of a file to import: its line, its fields (or why it could not be read), and the row as read.</summary>
public sealed record SourceRow(long Line, IReadOnlyDictionary<string, string?>? Record, string? ReadError, string Raw);

/// <summary>What an import did.</summary>
public sealed record ImportSummary(long Read, long Created, long Updated, long Unchanged, long Quarantined, long Superseded, TimeSpan Elapsed)
{
    /// <summary>The store had no customers: their secondary indexes were dropped for the load and built again at its end.</summary>
    public bool IndexesRebuilt { get; init; }
}

/// <summary>A row an import could not take, with why: kept for a person to fix and import again.</summary>
public sealed class QuarantinedRow
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>The mapping and its version (<c>salesforce-accounts@2</c>) or file.</summary>
    public string Mapping { get; set; } = "";

    public string File { get; set; } = "";

    public long Line { get; set; }

    public string? Key { get; set; }

    /// <summary>The reasons, as JSON: <c>[{"field":"MobilePhone","reason":"…"}]</c>.</summary>
    public string Reasons { get; set; } = "[]";

    /// <summary>The row as read (at most 8 KB).</summary>
    public string Raw { get; set; } = "";

    public DateTime At { get; set; }
}

/// <summary>
/// Imports historical records through a mapping spec, in batches: each row is mapped (a bad one is quarantined with
/// its reasons and never stops the import), matched by its id in the other system through the identity map, and
/// created or updated; a row that changes nothing writes nothing, so the same file imported again changes nothing.
/// New customers are written with the bulk inserter (their contact points and identity-map links with them) and
/// audited one entry each; changed ones go through the replica's own save (audited and published like any change).
/// A key given twice in a file: the later row wins.
/// </summary>
internal sealed class Importer(SwitchboardDbContext db, TimeProvider time, AuditLog audit)
{
    public const int BatchSize = 5_000;

    public async Task<ImportSummary> ImportAsync(MappingSpec spec, string mapping, string file, IAsyncEnumerable<SourceRow> rows, IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = Ids.New(time);
        long read = 0, created = 0, updated = 0, unchanged = 0, quarantined = 0, superseded = 0;
        // Two stages on two cores: reading and mapping the next batch while this one is written.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken); // a failed write stops the reader too
        var batches = System.Threading.Channels.Channel.CreateBounded<List<(SourceRow Row, MappedRecord? Mapped)>>(
            new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<(SourceRow, MappedRecord?)>(BatchSize);
                await foreach (var row in rows.WithCancellation(stop.Token))
                {
                    batch.Add((row, row.Record is null ? null : spec.MapIn(row.Record)));
                    if (batch.Count == BatchSize)
                    {
                        await batches.Writer.WriteAsync(batch, stop.Token);
                        batch = new List<(SourceRow, MappedRecord?)>(BatchSize);
                    }
                }
                if (batch.Count > 0)
                {
                    await batches.Writer.WriteAsync(batch, stop.Token);
                }
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, stop.Token);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var suspended = false;
        try
        {
            if (StoreKind.IsSqlite(db))
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -262144;", cancellationToken); // 256 MB of pages for the indexes while they grow
            }
            // A first load into an empty store: customers' and contact points' secondary indexes are built once at the
            // end (one sort each) instead of row by row. The identity map's stay: every batch looks keys up in them.
            if (!await db.Customers.AnyAsync(cancellationToken))
            {
                suspended = true;
                await IndexSuspension.DropAsync(db, cancellationToken, typeof(Customer), typeof(ContactPoint));
            }
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                var outcome = await WriteAsync(spec, mapping, file, run, batch, cancellationToken);
                read += batch.Count;
                (created, updated, unchanged, quarantined, superseded) =
                    (created + outcome.Created, updated + outcome.Updated, unchanged + outcome.Unchanged, quarantined + outcome.Quarantined, superseded + outcome.Superseded);
                db.ChangeTracker.Clear();
                progress?.Report(read);
            }
            await producer;
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            if (suspended)
            {
                await IndexSuspension.RestoreAsync(db, CancellationToken.None);
            }
            if (StoreKind.IsSqlite(db))
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000;", CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
        return new ImportSummary(read, created, updated, unchanged, quarantined, superseded, clock.Elapsed) { IndexesRebuilt = suspended };
    }

    private async Task<(int Created, int Updated, int Unchanged, int Quarantined, int Superseded)> WriteAsync(
        MappingSpec spec, string mapping, string file, Guid run, List<(SourceRow Row, MappedRecord? Mapped)> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var bad = new List<QuarantinedRow>();
        var good = new Dictionary<string, (SourceRow Row, MappedRecord Mapped)>(StringComparer.Ordinal);
        var superseded = 0;
        foreach (var (row, mapped) in batch)
        {
            if (mapped is not { Ok: true })
            {
                IEnumerable<FieldError> reasons = mapped?.Errors ?? [new FieldError("row", row.ReadError ?? "could not be read.")];
                bad.Add(new QuarantinedRow
                {
                    RunId = run, Mapping = mapping, File = file.Length > 500 ? file[^500..] : file, Line = row.Line, Key = mapped?.Key is { Length: <= 200 } k ? k : null,
                    Reasons = JsonSerializer.Serialize(reasons, WireJson.Options), Raw = row.Raw.Length > 8_000 ? row.Raw[..8_000] : row.Raw, At = now,
                });
                continue;
            }
            if (!good.TryAdd(mapped.Key!, (row, mapped)))
            {
                good[mapped.Key!] = (row, mapped); // the later row wins
                superseded++;
            }
        }
        var keys = good.Keys.ToList();
        var linked = await ExternalIdMap.CustomersByKeyAsync(db, spec.System, keys, tracked: true, cancellationToken);
        var (created, updated, unchanged) = (new List<Customer>(), 0, 0);
        var points = new List<ContactPoint>();
        var newLinks = new List<ExternalId>();
        foreach (var (key, (_, mapped)) in good)
        {
            if (linked.TryGetValue(key, out var customer))
            {
                if (Apply(customer, mapped.Values, now, () => Ids.New(time)) is { Count: > 0 })
                {
                    customer.UpdatedAt = now;
                    customer.Version++;
                    updated++;
                }
                else
                {
                    unchanged++;
                }
                continue;
            }
            customer = new Customer { Id = Ids.New(time), Kind = CustomerKind.Person, Lifecycle = LifecycleStage.Active, CreatedAt = now, UpdatedAt = now, Version = 1 };
            Apply(customer, mapped.Values, now, () => Ids.New(time));
            if (string.IsNullOrEmpty(customer.DisplayName))
            {
                customer.DisplayName = key;
                customer.NameKey = SearchKeys.Name(key);
            }
            created.Add(customer);
            points.AddRange(customer.ContactPoints);
            newLinks.Add(new ExternalId { Id = Ids.New(time), EntityType = CrmEntity.Customer, EntityId = customer.Id, System = spec.System, Key = key });
        }
        // Changes and the quarantine through the replica's own save (changes audited and published by its interceptors).
        db.Quarantine.AddRange(bad);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (created.Count > 0)
        {
            await CreateAsync(spec, created, points, newLinks, cancellationToken);
        }
        return (created.Count, updated, unchanged, bad.Count, superseded);
    }


    /// <summary>
    /// New customers in bulk — with their contact points, their identity-map links and their audit entries — in one
    /// transaction: a crash leaves neither a customer without its entry nor an entry without its customer. The entries'
    /// JSON is made on the other core while the rows go in. The chain is held for the transaction, so a number taken by
    /// another node meanwhile fails it: the batch is written again after that node's entries.
    /// </summary>
    private async Task CreateAsync(MappingSpec spec, List<Customer> created, List<ContactPoint> points, List<ExternalId> newLinks, CancellationToken cancellationToken)
    {
        var actor = AuditContext.Current;
        var details = audit.Enabled
            ? Task.Run(() => created.Select(c => AuditLog.Changes(Fields(c, spec))).ToArray(), cancellationToken)
            : Task.FromResult(Array.Empty<string>());
        for (var attempt = 1; ; attempt++)
        {
            await using var chain = await audit.HoldChainAsync(db, cancellationToken);
            try
            {
                await using var transaction = await chain.BeginTransactionAsync(cancellationToken);
                var dbTransaction = transaction.GetDbTransaction();
                await Bulk.InsertAllAsync(db, dbTransaction, created, cancellationToken);
                await Bulk.InsertAllAsync(db, dbTransaction, points, cancellationToken);
                await Bulk.InsertAllAsync(db, dbTransaction, newLinks, cancellationToken);
                var detail = await details;
                await chain.AppendAsync(dbTransaction, [.. detail.Select((json, i) => Creation(actor, created[i], json))], cancellationToken);
                await chain.CommitAsync(transaction, cancellationToken);
                return;
            }
            catch (DbException e) when (attempt < 3 && AuditLog.IsChainCollision(e) && !cancellationToken.IsCancellationRequested)
            {
                // Another node's (or process's) audit entries took our numbers: the whole batch again, chained after them.
            }
        }
    }

    /// <summary>The audit entry of a customer a bulk load made, with its mapped fields (<see cref="Fields"/>) as <paramref name="detail"/>.</summary>
    internal static AuditRecord Creation(AuditActor actor, Customer customer, string detail) =>
        new(actor.Actor, actor.Role, actor.Channel, AuditAction.Create, "customer", customer.Id.ToString("D"), customer.Id, null, detail);

    /// <summary>A new customer's mapped fields for its audit entry (before: nothing).</summary>
    internal static Dictionary<string, (object? Before, object? After)> Fields(Customer customer, MappingSpec spec) =>
        spec.Read(customer).ToDictionary(f => f.Key, f => ((object?)null, f.Value), StringComparer.Ordinal);

    /// <summary>Writes mapped values onto a customer; returns the fields that changed.</summary>
    internal static List<string> Apply(Customer customer, IReadOnlyDictionary<string, object?> values, DateTime now, Func<Guid> newId)
    {
        var changed = new List<string>();
        foreach (var (field, value) in values)
        {
            var text = value as string;
            var before = CustomerFields.All[field].Read(customer);
            if (value is List<string> list ? before is List<string> had && had.SequenceEqual(list, StringComparer.Ordinal) : Equals(before, text))
            {
                continue;
            }
            changed.Add(field);
            switch (field)
            {
                case "displayName":
                    customer.DisplayName = text!;
                    customer.NameKey = SearchKeys.Name(text!);
                    break;
                case "kind":
                    customer.Kind = Enum.Parse<CustomerKind>(text!, ignoreCase: true);
                    break;
                case "tier":
                    customer.Tier = Enum.Parse<ValueTier>(text!, ignoreCase: true);
                    break;
                case "lifecycle":
                    customer.Lifecycle = Enum.Parse<LifecycleStage>(text!, ignoreCase: true);
                    break;
                case "tags":
                    customer.Tags = [.. (List<string>)value!];
                    break;
                case "region":
                    customer.Region = text;
                    break;
                case "preferredLanguage":
                    customer.PreferredLanguage = text;
                    break;
                case "ownerAgentId":
                    customer.OwnerAgentId = text;
                    break;
                case "ownerTeam":
                    customer.OwnerTeam = text;
                    break;
                case "mobile":
                    Point(customer, ContactKind.Mobile, text!, now, newId);
                    break;
                case "office":
                    Point(customer, ContactKind.Office, text!, now, newId);
                    break;
                case "email":
                    Point(customer, ContactKind.Email, text!, now, newId);
                    break;
            }
        }
        return changed;
    }

    /// <summary>Sets the customer's primary contact point of a kind (made when there is none).</summary>
    private static void Point(Customer customer, ContactKind kind, string value, DateTime now, Func<Guid> newId)
    {
        var point = customer.ContactPoints.Where(p => p.Kind == kind).OrderByDescending(p => p.IsPrimary).FirstOrDefault();
        if (point is null)
        {
            point = new ContactPoint
            {
                Id = newId(), CustomerId = customer.Id, Kind = kind, IsPrimary = true, CreatedAt = now, Version = 1,
            };
            customer.ContactPoints.Add(point);
        }
        (point.Raw, point.UpdatedAt, point.Status) = (value, now, ContactPointStatus.Valid);
        if (kind == ContactKind.Email)
        {
            (point.Email, point.E164, point.ReversedDigits) = (value, null, null);
        }
        else
        {
            (point.E164, point.ReversedDigits) = (value, PhoneDigits.Reversed(value, value));
        }
    }
}
