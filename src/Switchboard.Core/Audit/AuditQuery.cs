using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Audit;

/// <summary>What an auditor asks for: any of actor, customer, call, action and a time range; pages by sequence.</summary>
public sealed record AuditFilter(string? Actor, Guid? Customer, string? Call, AuditAction? Action, DateTime? From, DateTime? To, long? After, int? Limit);

/// <summary>A page of entries, oldest first, and where the next page starts.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Next);

/// <summary>Reads the audit trail for auditors, checks it, and writes it as CSV that spreadsheets cannot execute.</summary>
public sealed class AuditQuery(SwitchboardDbContext db, AuditLog log)
{
    public const int MaxLimit = 1_000;

    public async Task<Result<AuditPage>> FindAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.MaxLength("actor", filter.Actor, Limits.Code);
        errors.MaxLength("call", filter.Call, 200);
        if (filter.Limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}.");
        }
        if (filter.From > filter.To)
        {
            errors.Add("from", "must not be after to.");
        }
        if (errors.Any)
        {
            return errors.ToError();
        }
        var limit = filter.Limit ?? 100;
        var entries = await Filtered(filter).Take(limit + 1).ToListAsync(cancellationToken);
        return new AuditPage(entries.Take(limit).ToList(), entries.Count > limit ? entries[limit - 1].Sequence : null);
    }

    /// <summary>Every matching entry as CSV (UTF-8), streamed in pages.</summary>
    public async Task ExportCsvAsync(AuditFilter filter, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("sequence,at,actor,role,channel,action,record_type,record_id,customer_id,call_id,detail,mac");
        var after = filter.After;
        while (true)
        {
            var page = await Filtered(filter with { After = after }).Take(MaxLimit).ToListAsync(cancellationToken);
            foreach (var e in page)
            {
                await output.WriteLineAsync(string.Join(',',
                    e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), Cell(e.Actor), Cell(e.Role),
                    e.Channel.ToString(), e.Action.ToString(), Cell(e.RecordType), Cell(e.RecordId), e.CustomerId?.ToString("D") ?? "", Cell(e.CallId), Cell(e.Detail), e.Mac));
            }
            if (page.Count < MaxLimit)
            {
                return;
            }
            after = page[^1].Sequence;
        }
    }

    /// <summary>Checks the whole chain (in pages), and the checkpoints kept outside the database if given.</summary>
    public async Task<AuditVerification> VerifyAsync(IReadOnlyCollection<AuditCheckpoint>? checkpoints, CancellationToken cancellationToken) =>
        await Task.Run(() => AuditChain.Verify(log.Key, Pages(cancellationToken), checkpoints), cancellationToken); // page by page, never the whole trail in memory

    /// <summary>The chain's last entry as a checkpoint, or null when the trail is empty.</summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken) =>
        await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new AuditCheckpoint(e.Sequence, e.Mac, e.At)).FirstOrDefaultAsync(cancellationToken);

    private IEnumerable<AuditEntry> Pages(CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = db.AuditLog.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(10_000).ToList();
            foreach (var entry in page)
            {
                yield return entry;
            }
            if (page.Count < 10_000)
            {
                yield break;
            }
            after = page[^1].Sequence;
        }
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var query = db.AuditLog.AsNoTracking();
        if (filter.Actor is { } actor)
        {
            query = query.Where(e => e.Actor == actor);
        }
        if (filter.Customer is { } customer)
        {
            query = query.Where(e => e.CustomerId == customer);
        }
        if (filter.Call is { } call)
        {
            query = query.Where(e => e.CallId == call);
        }
        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }
        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }
        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }
        if (filter.After is { } after)
        {
            query = query.Where(e => e.Sequence > after);
        }
        return query.OrderBy(e => e.Sequence);
    }

    /// <summary>
    /// A CSV cell: quoted when it holds a comma, quote or line break; and a value a spreadsheet would run as a formula
    /// (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe, as OWASP advises.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var text = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
