using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Dedup;

/// <summary>
/// Writes a generated set with known duplicates (<see cref="DuplicateDataset"/>) into an empty store as customers with
/// their contact points (in bulk, as the demo seed does), and the truth — each customer's cluster — as CSV, so that a
/// scan over the store can be measured (<c>switchboard seed --duplicates</c>).
/// </summary>
internal sealed class DuplicateSeeder(SwitchboardDbContext db, TimeProvider time)
{
    public async Task<(int Customers, int TruePairs)> SeedAsync(LabelledRecords set, TextWriter? truth, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var customers = new List<Customer>(set.Records.Count);
        var points = new List<ContactPoint>();
        foreach (var record in set.Records)
        {
            var customer = new Customer
            {
                Id = Ids.New(time), Kind = record.Kind, DisplayName = record.Name.Trim(), NameKey = SearchKeys.Name(record.Name), Region = record.Region,
                Lifecycle = LifecycleStage.Active, CreatedAt = now, UpdatedAt = now, Version = 1,
            };
            customers.Add(customer);
            foreach (var (phone, i) in record.Phones.Select((p, i) => (p, i)))
            {
                var mobile = phone.StartsWith("+861", StringComparison.Ordinal);
                points.Add(new ContactPoint
                {
                    Id = Ids.New(time), CustomerId = customer.Id, Kind = mobile ? ContactKind.Mobile : ContactKind.Office, Raw = phone, E164 = phone,
                    ReversedDigits = PhoneDigits.Reversed(phone, phone), Status = ContactPointStatus.Valid, IsPrimary = i == 0, CreatedAt = now, UpdatedAt = now, Version = 1,
                });
            }
            foreach (var (email, i) in record.Emails.Select((e, i) => (e, i)))
            {
                points.Add(new ContactPoint
                {
                    Id = Ids.New(time), CustomerId = customer.Id, Kind = ContactKind.Email, Raw = email, Email = email, Status = ContactPointStatus.Valid, IsPrimary = i == 0,
                    CreatedAt = now, UpdatedAt = now, Version = 1,
                });
            }
            truth?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{customer.Id:D},{set.Cluster[record.Id]}"));
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await Bulk.InsertAllAsync(db, transaction.GetDbTransaction(), customers, cancellationToken);
            await Bulk.InsertAllAsync(db, transaction.GetDbTransaction(), points, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return (customers.Count, set.TruePairs().Count);
    }
}
