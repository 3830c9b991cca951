using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Mapping;
using Switchboard.Core.Outbox;
using Switchboard.Core.Persistence;
using Switchboard.Core.ScreenPop;

namespace Switchboard.Core.Sync;

/// <summary>What one pass pulled.</summary>
public sealed record PassSummary(int Pages, int Records, int Applied, int Unchanged, int Duplicates, int Echoes, int Conflicts, int Deleted, int Quarantined)
{
    public static readonly PassSummary None = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static PassSummary operator +(PassSummary a, PassSummary b) => new(a.Pages + b.Pages, a.Records + b.Records, a.Applied + b.Applied,
        a.Unchanged + b.Unchanged, a.Duplicates + b.Duplicates, a.Echoes + b.Echoes, a.Conflicts + b.Conflicts, a.Deleted + b.Deleted, a.Quarantined + b.Quarantined);
}

/// <summary>
/// A look back over a connection's overlap window, for records whose transaction committed after a pass had read past
/// their modification time (and, for a vendor that lists deletes apart, the tombstones). It is read one page per pass,
/// between the ordinary passes, so that re-reading minutes of changes (600,000 records at 5,000 changes/s) never holds
/// up the new ones; what it finds applied already is skipped by one query a page. The puller starts one on its first
/// pass and once a minute (<c>Sync:LookBackSeconds</c>).
/// </summary>
public sealed class LookBack
{
    /// <summary>Where it reads from: the cursor less the overlap when it began (null until its first page).</summary>
    public DateTime? Since { get; set; }

    /// <summary>The vendor's next page, or null before the first.</summary>
    public string? Next { get; set; }

    /// <summary>Its last page is read.</summary>
    public bool Done { get; set; }
}

/// <summary>
/// One pull pass of a connection: pages of records modified since the cursor (and a page of a <see cref="LookBack"/> under
/// way), each page applied in one transaction with the cursor and the counters, so a pass cut anywhere resumes where it stopped and a record
/// seen again (the overlap, a page boundary, a restart) applies once. Changes are made as <c>sync:{name}</c> on the
/// sync channel: audited like any change, and published to every destination but the connection's own (no echo
/// back). A record the mapping refuses goes to the quarantine with its reasons; the next change to it tries again.
/// </summary>
internal sealed class SyncRunner(SwitchboardDbContext db, TimeProvider time, MappingSpecCache specs, SyncMonitor monitor, IHttpClientFactory clients,
    DestinationDirectory directory, OutboxSignal signal, AuditLog audit, PopContextCache pops)
{
    public const string HttpClientName = "switchboard.sync";
    private static readonly TimeSpan EchoLife = TimeSpan.FromHours(1);

    /// <summary>
    /// One pass: every page of records modified since the cursor (at the cursor's very time too: those are read again and
    /// skipped as seen), each page applied while the next is fetched; then, while <paramref name="lookBack"/> is under
    /// way, one page of it (see <see cref="LookBack"/>).
    /// </summary>
    public async Task<PassSummary> PassAsync(Guid connectionId, LookBack? lookBack, CancellationToken cancellationToken)
    {
        var connection = await db.SyncConnections.AsNoTracking().FirstAsync(c => c.Id == connectionId, cancellationToken);
        var destination = await db.Destinations.AsNoTracking().FirstAsync(d => d.Id == connection.DestinationId, cancellationToken);
        var spec = await specs.LatestAsync(db, connection.Mapping, cancellationToken)
            ?? throw new SyncRequestException(null, $"the mapping '{connection.Mapping}' does not exist", null, false);
        var fields = SourceFields(spec);
        var vendor = SyncVendors.Of(connection.Vendor);
        var http = clients.CreateClient(HttpClientName);
        ConnectorAuth.Apply(http, destination.AuthScheme, destination.Credential);
        var now = time.GetUtcNow().UtcDateTime;
        if (monitor.EchoSweepDue(connectionId, now))
        {
            await db.SyncEchoes.Where(e => e.ConnectionId == connectionId && e.At < now - EchoLife).ExecuteDeleteAsync(cancellationToken);
        }
        var since = connection.CursorAt ?? DateTime.MinValue;
        var total = PassSummary.None;
        var fetching = vendor.FetchAsync(http, connection, destination.Url, fields, since, null, false, cancellationToken);
        while (fetching is not null)
        {
            var page = await fetching;
            // The next page comes over the wire (and is parsed, on the other core) while this one is written.
            fetching = page.Next is { } next ? vendor.FetchAsync(http, connection, destination.Url, fields, since, next, false, cancellationToken) : null;
            try
            {
                total += await ApplyAsync(connectionId, spec, page, cancellationToken);
            }
            catch
            {
                await Task.WhenAny(fetching ?? Task.CompletedTask); // not left running unobserved
                _ = fetching?.Exception;
                throw;
            }
        }
        if (lookBack is { Done: false })
        {
            lookBack.Since ??= connection.CursorAt - TimeSpan.FromSeconds(connection.OverlapSeconds);
            if (lookBack.Since is not { } from)
            {
                lookBack.Done = true; // nothing was ever pulled: the pass above read everything
                return total;
            }
            var page = await vendor.FetchAsync(http, connection, destination.Url, fields, from, lookBack.Next, true, cancellationToken);
            total += await ApplyAsync(connectionId, spec, page, cancellationToken);
            (lookBack.Next, lookBack.Done) = (page.Next, page.Next is null);
        }
        return total;
    }

    /// <summary>The CRM fields a pass asks for: every source the spec maps in, and every name its expressions read; each checked as an API name before it goes into a query.</summary>
    internal static IReadOnlyList<string> SourceFields(MappingSpec spec)
    {
        var names = spec.Fields.Where(f => f.MapsIn).SelectMany(f => f.Source is { } source ? [source] : f.Expression!.Names).Append(spec.Key)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return names.FirstOrDefault(n => !SyncVendors.ApiName().IsMatch(n)) is { } bad
            ? throw new SyncRequestException(null, $"the mapping names a field that is not an API name ('{(bad.Length > 40 ? bad[..40] : bad)}'): letters, digits and '_'", null, false)
            : names;
    }

    private async Task<PassSummary> ApplyAsync(Guid connectionId, MappingSpec spec, SourcePage page, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(connectionId, spec, page, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear(); // someone changed one of the customers meanwhile: read them again and merge again
            }
        }
    }

    private async Task<PassSummary> ApplyOnceAsync(Guid connectionId, MappingSpec spec, SourcePage page, CancellationToken cancellationToken)
    {
        var connection = await db.SyncConnections.FirstAsync(c => c.Id == connectionId, cancellationToken);
        var actor = new AuditActor(SyncConnection.ActorOf(connection.Name), "integration", AuditChannel.Sync);
        using var acting = AuditContext.Begin(actor);
        var now = time.GetUtcNow().UtcDateTime;
        // The latest version of each record on the page.
        var latest = page.Records.GroupBy(r => r.Key, StringComparer.Ordinal).Select(g => g.MaxBy(r => r.ModifiedAt)!).ToList();
        var pageKeys = latest.Select(r => r.Key).ToList();
        // Read without EF's tracker and written back by UntrackedRows (ADR 0019): a page's thousands of rows cost the
        // tracker more than the writes themselves.
        var states = await db.SyncStates.AsNoTracking().Where(s => s.ConnectionId == connectionId && EF.Parameter(pageKeys).Contains(s.Key))
            .ToDictionaryAsync(s => s.Key, StringComparer.Ordinal, cancellationToken);
        // What was applied at this modification time already is skipped before anything else is read: a look-back
        // pass, or the cursor's own millisecond read again, costs one query a page.
        var records = latest.Where(r => !states.TryGetValue(r.Key, out var seen) || r.ModifiedAt > seen.SourceModifiedAt).ToList();
        var seenAgain = page.Records.Count - records.Count;
        if (records.Count == 0)
        {
            return await NothingNewAsync(connection, page, seenAgain, now, cancellationToken);
        }
        var keys = records.Select(r => r.Key).ToList();
        // The identity map for every key (also those with a state: a merge may have moved the state's customer away).
        var byMap = await ExternalIdMap.CustomersByKeyAsync(db, spec.System, keys, tracked: false, cancellationToken);
        var ours = records.Where(r => !states.ContainsKey(r.Key) && Guid.TryParse(r.OurId, out _)).Select(r => Guid.Parse(r.OurId!)).ToList();
        // The customers of the records to apply (not of those seen again: their customers are not needed).
        var ids = records.Select(r => states.GetValueOrDefault(r.Key)?.CustomerId).OfType<Guid>().Concat(ours).Except(byMap.Values.Select(c => c.Id)).Distinct().ToList();
        var customers = byMap.Values.DistinctBy(c => c.Id).ToDictionary(c => c.Id); // two keys may map to one customer (merged duplicates)
        foreach (var customer in ids.Count == 0 ? [] : await db.Customers.AsNoTracking().Include(c => c.ContactPoints).Where(c => EF.Parameter(ids).Contains(c.Id))
            .ToListAsync(cancellationToken))
        {
            customers[customer.Id] = customer;
        }
        var untracked = new UntrackedCustomers(db);
        foreach (var customer in customers.Values)
        {
            untracked.Read(customer);
        }
        var stateRows = new UntrackedRows<SyncState>(db);
        foreach (var state in states.Values)
        {
            stateRows.Read(state);
        }
        var customerIds = customers.Keys.ToList();
        var echoes = (await db.SyncEchoes.Where(e => e.ConnectionId == connectionId && EF.Parameter(customerIds).Contains(e.CustomerId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.CustomerId);
        // Which CRM record each of these customers is linked to on this connection: one customer, one record (a unique
        // index), so the states read by key answer for their customers; only the others are looked up. (In a steady
        // stream of changes to known records, none are.)
        var linkedKey = states.Values.ToDictionary(s => s.CustomerId, s => s.Key);
        var unlinked = customerIds.Where(c => !linkedKey.ContainsKey(c)).ToList();
        if (unlinked.Count > 0)
        {
            foreach (var (customerId, key) in await db.SyncStates.AsNoTracking().Where(s => s.ConnectionId == connectionId && EF.Parameter(unlinked).Contains(s.CustomerId))
                .ToDictionaryAsync(s => s.CustomerId, s => s.Key, cancellationToken))
            {
                linkedKey[customerId] = key;
            }
        }

        var (created, newLinks, newStates) = (new List<Customer>(), new List<ExternalId>(), new List<SyncState>());
        // Which of them the identity map links to this CRM: those found through it are; only the others are looked up.
        var hasLink = byMap.Values.Select(c => c.Id).ToHashSet();
        var unmapped = customerIds.Where(c => !hasLink.Contains(c)).ToList();
        if (unmapped.Count > 0)
        {
            // By the entity's index (the type and system are sorted out here: on them the store would scan the system's every link).
            hasLink.UnionWith((await db.ExternalIds.AsNoTracking().Where(e => EF.Parameter(unmapped).Contains(e.EntityId))
                .Select(e => new { e.EntityId, e.EntityType, e.System }).ToListAsync(cancellationToken))
                .Where(e => e.EntityType == CrmEntity.Customer && e.System == spec.System).Select(e => e.EntityId));
        }
        // Records quarantined before (each kept once per version); a connection that never quarantined one has none to ask for
        // (its counter moves in the same transaction as its quarantine, and never back).
        var quarantinedBefore = connection.Quarantined == 0 ? [] : (await db.Quarantine.AsNoTracking().Where(q => q.RunId == connectionId && EF.Parameter(keys).Contains(q.Key!))
            .Select(q => new { q.Key, q.Line }).ToListAsync(cancellationToken)).Select(q => (q.Key!, q.Line)).ToHashSet();
        int applied = 0, unchanged = 0, duplicates = seenAgain, echoed = 0, conflicts = 0, deleted = 0, quarantined = 0;
        var lags = new List<DateTime>();
        foreach (var record in records)
        {
            states.TryGetValue(record.Key, out var state);
            if (state is not null && record.ModifiedAt <= state.SourceModifiedAt)
            {
                duplicates++; // seen at this modification time already: the overlap, a page boundary, a restart
                continue;
            }
            var customer = (state is not null ? customers.GetValueOrDefault(state.CustomerId) : null)
                ?? byMap.GetValueOrDefault(record.Key)
                ?? (state is null && Guid.TryParse(record.OurId, out var our) && !linkedKey.ContainsKey(our) ? customers.GetValueOrDefault(our) : null);
            if (record.Deleted)
            {
                if (customer is not null && state is not null && db.Entry(customer).State != EntityState.Deleted)
                {
                    untracked.Forget(customer); // removed through EF, with everything it owns (and audited so)
                    db.Attach(customer);
                    await CustomerService.StageRemovalAsync(db, customer, cancellationToken);
                    deleted++;
                    lags.Add(record.ModifiedAt);
                }
                else
                {
                    duplicates++; // a tombstone of what we never had, or removed already
                }
                if (state is not null)
                {
                    stateRows.Forget(state);
                    db.SyncStates.Remove(state);
                }
                continue;
            }
            var mapped = spec.MapIn(record.Fields);
            if (record.Key.Length > Limits.ExternalKey)
            {
                mapped = mapped with { Errors = [.. mapped.Errors, new FieldError(spec.Key, $"the CRM's id is longer than {Limits.ExternalKey} characters.")] };
            }
            if (customer is not null && linkedKey.TryGetValue(customer.Id, out var other) && other != record.Key)
            {
                // Two records of the CRM for one customer here (they were merged as duplicates): the CRM should merge them too.
                mapped = mapped with { Errors = [.. mapped.Errors, new FieldError(spec.Key, $"another record of this CRM ({other}) is linked to the same customer: a duplicate to merge in the CRM.")] };
            }
            if (!mapped.Ok)
            {
                // Kept once per version of the record: its place in the CRM's stream is its modification time (Unix ms as the row's "line").
                var line = new DateTimeOffset(DateTime.SpecifyKind(record.ModifiedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                if (quarantinedBefore.Contains((record.Key, line)))
                {
                    duplicates++;
                    continue;
                }
                db.Quarantine.Add(new QuarantinedRow
                {
                    RunId = connectionId, Mapping = "sync:" + connection.Name, File = connection.Object, Line = line, Key = record.Key.Length <= 200 ? record.Key : null,
                    Reasons = JsonSerializer.Serialize(mapped.Errors, WireJson.Options), Raw = Raw(record), At = now,
                });
                quarantined++;
                continue;
            }
            var isNew = customer is null;
            if (customer is null)
            {
                // Made in bulk with its contact points, link and state below (not tracked): what a catch-up mostly is.
                customer = new Customer { Id = Ids.New(time), Kind = CustomerKind.Person, Lifecycle = LifecycleStage.Active, CreatedAt = now, UpdatedAt = now, Version = 1 };
                created.Add(customer);
                customers[customer.Id] = customer;
            }
            if (!byMap.ContainsKey(record.Key) && hasLink.Add(customer.Id))
            {
                // The identity map learns the link on first sight (or again, for a customer made anew).
                var link = new ExternalId { Id = Ids.New(time), EntityType = CrmEntity.Customer, EntityId = customer.Id, System = spec.System, Key = record.Key };
                (isNew ? newLinks : (ICollection<ExternalId>)db.ExternalIds.Local).Add(link);
            }
            var shadow = state is null ? null : SyncValues.ReadShadow(state.Shadow);
            var mine = echoes[customer.Id].ToList();
            var merge = SyncMerge.Merge(spec.Fields, mapped.Values, spec.Read(customer), shadow, mine.Select(e => (e.Field, e.Value)).ToHashSet(),
                record.ModifiedAt, customer.UpdatedAt, isNew);
            if (SyncApply.Apply(customer, merge.Apply, now, () => Ids.New(time)) > 0 && !isNew)
            {
                (customer.UpdatedAt, customer.Version) = (now, customer.Version + 1);
                applied++;
            }
            else if (isNew)
            {
                if (string.IsNullOrEmpty(customer.DisplayName))
                {
                    (customer.DisplayName, customer.NameKey) = (record.Key, SearchKeys.Name(record.Key));
                }
                applied++;
            }
            else
            {
                unchanged++;
            }
            lags.Add(record.ModifiedAt);
            foreach (var (field, value) in merge.EchoesUsed)
            {
                // This push came back: it and every earlier push of the field are behind the CRM now.
                var last = mine.Where(e => e.Field == field && e.Value == value).Max(e => e.Id);
                db.SyncEchoes.RemoveRange(mine.Where(e => e.Field == field && e.Id <= last));
            }
            echoed += merge.Outcomes.Values.Any(o => o == FieldOutcome.Echo) ? 1 : 0;
            foreach (var conflict in merge.Conflicts)
            {
                db.SyncConflicts.Add(new SyncConflict
                {
                    ConnectionId = connectionId, CustomerId = customer.Id, Key = record.Key, Field = conflict.Field, Shadow = conflict.Shadow, Local = conflict.Local,
                    Incoming = conflict.Incoming, Rule = conflict.Rule, Winner = conflict.Winner, At = now,
                });
            }
            conflicts += merge.Conflicts.Count;
            if (state is null)
            {
                state = new SyncState { ConnectionId = connectionId, CustomerId = customer.Id, Key = record.Key };
                newStates.Add(state);
                states[record.Key] = state;
            }
            (state.CustomerId, state.SourceModifiedAt, state.Shadow) = (customer.Id, record.ModifiedAt, SyncValues.WriteShadow(merge.Shadow));
            linkedKey[customer.Id] = record.Key;
            if (merge.NeedsPush)
            {
                PushBack(connection, customer, now);
            }
        }
        Advance(connection, page);
        connection.Applied += applied;
        connection.Unchanged += unchanged;
        connection.Duplicates += duplicates;
        connection.Echoes += echoed;
        connection.Conflicts += conflicts;
        connection.Deleted += deleted;
        connection.Quarantined += quarantined;
        (connection.LastPassAt, connection.LastSuccessAt, connection.LastError) = (now, now, null);
        // The bulk-made customers' entries (one each, with the mapped fields), and those of the changes saved below, go in
        // the page's own transaction with the chain held for it (ADR 0018): durable with the page, never without it.
        List<AuditRecord> createdEntries = audit.Enabled
            ? [.. created.Select(c => Importer.Creation(actor, c, AuditLog.Changes(Importer.Fields(c, spec))))]
            : [];
        CustomerWrites writes;
        await using (var chain = await audit.HoldChainAsync(db, cancellationToken))
        {
            await using var transaction = await chain.BeginTransactionAsync(cancellationToken);
            var bulk = transaction.GetDbTransaction();
            await Bulk.InsertAllAsync(db, bulk, created, cancellationToken);
            await Bulk.InsertAllAsync(db, bulk, created.SelectMany(c => c.ContactPoints), cancellationToken);
            await Bulk.InsertAllAsync(db, bulk, newLinks, cancellationToken);
            await Bulk.InsertAllAsync(db, bulk, newStates, cancellationToken);
            // Published like any new customer (one customer.created each, its contact points in it), routed in this transaction.
            await OutboxCapture.WriteAsync(db, bulk, directory, [.. created.Select(c => OutboxCapture.MessageFor(c, "created", now, actor.Actor)!)], now, cancellationToken);
            writes = await untracked.WriteAsync(bulk, actor, audit.Enabled, directory, now, cancellationToken);
            await using (var writer = new RowWriter(bulk))
            {
                foreach (var state in states.Values.Where(stateRows.IsRead))
                {
                    if (stateRows.ChangeOf(state) is { } change)
                    {
                        await stateRows.UpdateAsync(writer, change, cancellationToken);
                    }
                }
            }
            // The rest (the connection's counters, conflicts, quarantined records, links of known customers, removals) through EF.
            await db.SaveChangesAsync(cancellationToken);
            await chain.AppendAsync(bulk, [.. createdEntries, .. writes.Audit], cancellationToken);
            await chain.CommitAsync(transaction, cancellationToken);
        }
        // A new customer's number may have been cached as nobody's; a changed one's pop shows the old values.
        writes.Customers.UnionWith(created.Select(c => c.Id));
        writes.Numbers.UnionWith(created.SelectMany(c => c.ContactPoints).Select(p => p.E164).OfType<string>());
        pops.Invalidate(writes.Customers, writes.Numbers);
        if (created.Count > 0 || writes.Messages > 0 || db.ChangeTracker.Entries<OutboxMessage>().Any())
        {
            signal.Notify();
        }
        db.ChangeTracker.Clear();
        monitor.Committed(connectionId, connection.Name, lags, time.GetUtcNow().UtcDateTime);
        return new PassSummary(1, page.Records.Count, applied, unchanged, duplicates, echoed, conflicts, deleted, quarantined);
    }

    /// <summary>A page with nothing new: the cursor may still move (an ordered page), and the records seen again are counted.</summary>
    private async Task<PassSummary> NothingNewAsync(SyncConnection connection, SourcePage page, int seenAgain, DateTime now, CancellationToken cancellationToken)
    {
        Advance(connection, page);
        connection.Duplicates += seenAgain;
        (connection.LastPassAt, connection.LastSuccessAt, connection.LastError) = (now, now, null);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new PassSummary(1, page.Records.Count, 0, 0, seenAgain, 0, 0, 0, 0);
    }

    /// <summary>Moves the cursor to the page's latest modification time, if the page is in modification order and goes past it.</summary>
    private static void Advance(SyncConnection connection, SourcePage page)
    {
        if (page.Ordered && page.Records.Count > 0)
        {
            var reached = page.Records.Max(r => r.ModifiedAt);
            connection.CursorAt = connection.CursorAt is { } cursor && cursor > reached ? cursor : reached;
        }
    }

    /// <summary>
    /// Queues the customer for this connection's push in the same save: Switchboard kept its value in a conflict, so
    /// the CRM must get it. (Changes made as the connection are otherwise not routed back to it.)
    /// </summary>
    private void PushBack(SyncConnection connection, Customer customer, DateTime now)
    {
        var message = new OutboxMessage
        {
            Type = "customer.updated", RecordType = "customer", RecordId = customer.Id, CustomerId = customer.Id, OrderKey = "customer:" + customer.Id.ToString("N"),
            Payload = "{}", OccurredAt = now, Actor = SyncConnection.ActorOf(connection.Name), RoutedAt = now,
        };
        db.OutboxMessages.Add(message);
        db.OutboxDeliveries.Add(new OutboxDelivery
        {
            DestinationId = connection.DestinationId, Message = message, OrderKey = message.OrderKey, Status = DeliveryStatus.Pending, NextAttemptAt = now,
        });
    }

    private static string Raw(SourceRecord record)
    {
        var raw = JsonSerializer.Serialize(record.Fields);
        return raw.Length > 8_000 ? raw[..8_000] : raw;
    }
}

/// <summary>Writes merged values onto a customer, clearing where the CRM cleared (a phone or email cleared removes that contact point; names and choices are never cleared).</summary>
internal static class SyncApply
{
    public static int Apply(Customer customer, IReadOnlyDictionary<string, object?> values, DateTime now, Func<Guid> newId)
    {
        var set = values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var changed = Importer.Apply(customer, set, now, newId).Count;
        foreach (var (field, _) in values.Where(v => v.Value is null))
        {
            switch (field)
            {
                case "tags" when customer.Tags.Count > 0:
                    customer.Tags = [];
                    changed++;
                    break;
                case "region" when customer.Region is not null:
                    customer.Region = null;
                    changed++;
                    break;
                case "preferredLanguage" when customer.PreferredLanguage is not null:
                    customer.PreferredLanguage = null;
                    changed++;
                    break;
                case "ownerAgentId" when customer.OwnerAgentId is not null:
                    customer.OwnerAgentId = null;
                    changed++;
                    break;
                case "ownerTeam" when customer.OwnerTeam is not null:
                    customer.OwnerTeam = null;
                    changed++;
                    break;
                case "mobile" or "office" or "email":
                    var kind = field switch { "mobile" => ContactKind.Mobile, "office" => ContactKind.Office, _ => ContactKind.Email };
                    if (customer.ContactPoints.Where(p => p.Kind == kind).OrderByDescending(p => p.IsPrimary).FirstOrDefault() is { } point)
                    {
                        customer.ContactPoints.Remove(point); // deleted by the page's write (UntrackedCustomers)
                        changed++;
                    }
                    break;
            }
        }
        return changed;
    }
}
