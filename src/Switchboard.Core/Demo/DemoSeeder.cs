using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Switchboard.Core.Diagnostics;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Demo;

/// <summary>What to seed.</summary>
/// <param name="Customers">How many customers (companies and people together).</param>
/// <param name="Locale"><c>zh-CN</c> (default) or <c>en</c>.</param>
/// <param name="Seed">The random seed; the same seed and <paramref name="AsOf"/> give the same data.</param>
/// <param name="AsOf">The day the history ends; default today (UTC).</param>
public sealed record SeedRequest(long Customers, string Locale = "zh-CN", int Seed = 42, DateTimeOffset? AsOf = null);

/// <summary>What was written.</summary>
public sealed record SeedSummary(long Customers, long Rows, TimeSpan Elapsed);

/// <summary>
/// Writes demo data. Generation (one thread) and writing (another) overlap through a bounded channel, and
/// rows go in through <see cref="BulkInserter{T}"/>, one transaction per batch, so a cancelled seed leaves whole batches only.
/// </summary>
internal sealed class DemoSeeder(SwitchboardDbContext db, TimeProvider time, IOptions<ForecastingOptions> forecasting)
{
    private const int CustomersPerBatch = 50_000;

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) => !await db.Customers.AnyAsync(cancellationToken);

    public async Task<SeedSummary> SeedAsync(SeedRequest request, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Customers);
        var asOf = request.AsOf ?? new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var generator = new DemoDataGenerator(request.Locale, request.Seed, asOf, request.Customers);
        var stopwatch = Stopwatch.StartNew();

        var channel = Channel.CreateBounded<DemoBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                while (generator.HasMore)
                {
                    var batch = generator.Next(CustomersPerBatch);
                    batch.SortByIdForLocality();
                    await channel.Writer.WriteAsync(batch, cancellationToken);
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, cancellationToken);

        long customers = 0, rows = 0;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await TuneForBulkAsync(cancellationToken);
            await IndexSuspension.DropAsync(db, cancellationToken);
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteAsync(batch, cancellationToken);
                customers += batch.Customers.Count;
                rows += batch.RowCount;
                SwitchboardTelemetry.RowsWritten.Add(batch.RowCount, new KeyValuePair<string, object?>("source", "demo"));
                progress?.Report(customers);
            }
            await producer;
            rows += await WriteCallHistoryAsync(request, asOf, cancellationToken);
        }
        finally
        {
            await IndexSuspension.RestoreAsync(db, CancellationToken.None);
            if (StoreKind.IsSqlite(db))
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000;", CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
        return new SeedSummary(customers, rows, stopwatch.Elapsed);
    }

    private async Task WriteAsync(DemoBatch batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dbTransaction = transaction.GetDbTransaction();
        // Parents before children: foreign keys are checked per statement.
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Customers.Where(c => c.CompanyId is null), cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Customers.Where(c => c.CompanyId is not null), cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.ContactPoints, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Orders, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Tickets, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.TicketUpdates, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Opportunities, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Tasks, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.Interactions, cancellationToken);
        await Bulk.InsertAllAsync(db, dbTransaction, batch.ExternalIds, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Ten weeks of past calls in the call journal, ending the day before <paramref name="asOf"/> (about one call a
    /// day per 25 customers, 120 to 1,000), so forecasts and the planning page work on the first start.
    /// </summary>
    private async Task<long> WriteCallHistoryAsync(SeedRequest request, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(forecasting.Value.TimeZone);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(asOf, zone).DateTime).AddDays(-1);
        var perDay = (int)Math.Clamp(request.Customers / 25, 120, 1_000);
        var entries = DemoCallHistory.Generate(lastDay, perDay, zone, request.Seed);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Bulk.InsertAllAsync(db, transaction.GetDbTransaction(), entries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        SwitchboardTelemetry.RowsWritten.Add(entries.Count, new KeyValuePair<string, object?>("source", "demo"));
        return entries.Count;
    }


    /// <summary>SQLite: a larger page cache for this connection keeps the indexes in memory while they grow.</summary>
    private async Task TuneForBulkAsync(CancellationToken cancellationToken)
    {
        if (StoreKind.IsSqlite(db))
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -1048576; PRAGMA synchronous = OFF;", cancellationToken);
        }
    }
}
