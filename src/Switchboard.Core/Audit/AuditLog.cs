using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Audit;

/// <summary>
/// The append-only audit trail with group commit: <see cref="AppendAsync"/> returns once the entry is committed
/// (durable before the response it belongs to), and one writer numbers, stamps and chains every entry waiting at that
/// moment and commits them in one transaction (SQLite: synchronous=FULL). The chain's tail (last number and MAC) is
/// read from the store before the first batch; when another node appended meanwhile (its numbers collide), the writer
/// reads the tail again and chains the batch after it. Every <see cref="AuditOptions.CheckpointEvery"/> entries a
/// checkpoint goes to <see cref="AuditOptions.CheckpointFile"/>, outside the database.
/// </summary>
public sealed partial class AuditLog : IAsyncDisposable
{
    public const int MaxBatch = 1_024;

    /// <summary>
    /// How long a batch of only unhurried entries (pop reads, whose pops are already on their way) waits for more:
    /// fewer commits, so the store's one writer lock is taken less often by the trail and more promptly by the call
    /// journal, which every ring waits for. Any other entry is committed at once, with whatever is waiting.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    // Chinese stays readable (and searchable) in the stored detail; HTML-significant characters are still escaped.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly AuditOptions _options;
    private readonly GroupCommit<AuditRecord> _commit;
    private readonly Lazy<byte[]> _key;
    private readonly ILogger<AuditLog> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _starting = new();
    private Task? _writer;
    private readonly SemaphoreSlim _chain = new(1, 1);    // one writer of the chain at a time: the group commit or a hold
    private readonly AsyncLocal<StrongBox<bool>?> _heldHere = new(); // the flow holding the chain (see HoldChainAsync)
    private AuditChainHold? _hold;
    private (long Sequence, string? Mac)? _tail;

    public AuditLog(IServiceScopeFactory scopes, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditLog> logger, SqliteWriteGate? gate = null)
    {
        (_scopes, _time, _options) = (scopes, time, options.Value);
        Gate = gate ?? new SqliteWriteGate();
        _key = new Lazy<byte[]>(() => AuditKey.Load(_options), LazyThreadSafetyMode.PublicationOnly); // a failure is tried again, not cached
        _logger = logger;
        _commit = new GroupCommit<AuditRecord>(MaxBatch, 100_000, WriteAsync, (e, count) => Log.BatchFailed(logger, e, count),
            Linger, record => !record.Unhurried);
    }

    public bool Enabled => _options.Enabled;

    /// <summary>The chain's key (made on first use when its file does not exist yet).</summary>
    public byte[] Key => _key.Value;

    /// <summary>Entries committed by this process.</summary>
    public long Appended => _commit.Items;

    /// <summary>Transactions committed by this process.</summary>
    public long Batches => _commit.Batches;

    /// <summary>
    /// Appends an entry; returns once it is committed. Does nothing when auditing is off. The writer starts with the
    /// first append, in every host (the server, the CLI), and stops when the container disposes the log.
    /// </summary>
    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this); // no writer will ever take it
        if (_heldHere.Value is { Value: true })
        {
            throw new InvalidOperationException("This flow holds the audit chain: append through its hold (an append here would wait for the hold forever).");
        }
        if (_writer is null)
        {
            lock (_starting)
            {
                _writer ??= Task.Run(() => _commit.RunAsync(_stopping.Token), CancellationToken.None);
            }
        }
        return _commit.AppendAsync(record, cancellationToken);
    }

    /// <summary>
    /// Appends what <paramref name="disclosed"/> shows as reads by <paramref name="actor"/> (or, with
    /// <paramref name="detail"/> and <paramref name="action"/>, as searches), one entry per record; returns once committed.
    /// </summary>
    public Task AppendReadsAsync(AuditActor actor, IEnumerable<Security.Disclosure> disclosed, CancellationToken cancellationToken,
        AuditAction action = AuditAction.Read, Func<Security.Disclosure, string>? detail = null) =>
        Task.WhenAll(disclosed.Select(d => AppendAsync(new AuditRecord(actor.Actor, actor.Role, actor.Channel, action, d.RecordType, d.RecordId, d.CustomerId,
            actor.CallId, detail?.Invoke(d) ?? Read(d.Fields)), cancellationToken)));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_writer is not null)
        {
            await _writer;
        }
        _stopping.Dispose();
        _chain.Dispose();
    }

    /// <summary>JSON for a read: the fields shown.</summary>
    public static string Read(IEnumerable<string> fields) => JsonSerializer.Serialize(new { fields }, Json);

    /// <summary>JSON for a read recovered after a crash: the call rang at the agent, so its pop may have been shown; what it showed is not known.</summary>
    public static string Recovered() => JsonSerializer.Serialize(new { fields = Array.Empty<string>(), recovered = "a pop may have been shown; the entry was lost in a crash and recovered from the call journal" }, Json);

    /// <summary>JSON for a search: why (as the searcher said), what was asked, and the fields of the record found.</summary>
    public static string Search(string? reason, string query, IEnumerable<string> fields) => JsonSerializer.Serialize(new { reason, query, fields }, Json);

    /// <summary>JSON for a change: each field's value before and after.</summary>
    public static string Changes(IReadOnlyDictionary<string, (object? Before, object? After)> changes) =>
        JsonSerializer.Serialize(new { changes = changes.ToDictionary(c => c.Key, c => new { before = c.Value.Before, after = c.Value.After }) }, Json);

    /// <summary>
    /// Holds the chain so that entries can be written in the caller's own transaction (<see cref="AuditChainHold.AppendAsync"/>)
    /// and commit or roll back with the changes they record: no committed change without its entry, even across a crash.
    /// Take it before the transaction writes anything (the writer holds the chain while it waits for the store's write
    /// lock). Audited changes saved through EF in that transaction before the append are appended with it (after it,
    /// such a save fails at once). Other appends wait until the hold is disposed.
    /// </summary>
    public Task<AuditChainHold> HoldChainAsync(DbContext db, CancellationToken cancellationToken)
    {
        // Marked in the caller's own flow (this method is not async, so the mark flows on to the caller's next steps):
        // an append from the holding flow would wait for the chain it holds, so it fails at once instead.
        var hold = new AuditChainHold(this, db);
        _heldHere.Value = hold.Flow;
        return TakeAsync(hold, cancellationToken);
    }

    private async Task<AuditChainHold> TakeAsync(AuditChainHold hold, CancellationToken cancellationToken)
    {
        await _chain.WaitAsync(cancellationToken);
        hold.Flow.Value = true;
        Volatile.Write(ref _hold, hold);
        return hold;
    }

    /// <summary>The hold <paramref name="db"/>'s transaction has on the chain, if any (see <see cref="HoldChainAsync"/>).</summary>
    internal AuditChainHold? HoldOf(DbContext db) => Volatile.Read(ref _hold) is { } hold && hold.Holds(db) ? hold : null;

    internal void Release(AuditChainHold hold)
    {
        hold.Flow.Value = false;
        if (ReferenceEquals(_heldHere.Value, hold.Flow))
        {
            _heldHere.Value = null;
        }
        Volatile.Write(ref _hold, null);
        _chain.Release();
    }

    /// <summary>
    /// True when <paramref name="e"/> is the chain's own collision: another node (or process on the same file) took the
    /// numbers this writer chained from its cached tail. Worth writing again after reading the tail; nothing else is.
    /// </summary>
    public static bool IsChainCollision(DbException e) => e.Message.Contains(nameof(AuditLog), StringComparison.Ordinal);

    private async Task WriteAsync(IReadOnlyList<AuditRecord> batch, CancellationToken cancellationToken)
    {
        await _chain.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
                await db.Database.OpenConnectionAsync(cancellationToken);
                try
                {
                    // A batch of pop reads only (their pops are sent already, and a crash's loss is recovered from the
                    // call journal: ADR 0014) commits without a flush of its own on SQLite; the next flushed commit (the
                    // journal's, at every ring) makes it durable. So the store's one write lock is held for a moment,
                    // not for a disk flush that the rings' journal commits wait behind. A batch a checkpoint follows
                    // is flushed, so no checkpoint names an entry a power cut could take back. Queued in-process for
                    // the lock, behind the journal (ADR 0020).
                    var (pass, transaction) = await Gate.BeginAsync(db, flush: !batch.All(r => r.Unhurried) || CheckpointDue(batch.Count), checkpointBehind: false, cancellationToken);
                    using (pass)
                    await using (transaction)
                    {
                        var (sequence, mac, at) = await InsertChainedAsync(db, transaction.GetDbTransaction(), batch, cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                        await AdvanceAsync(sequence, mac, at, CancellationToken.None); // committed: whatever the token says now
                    }
                    return;
                }
                catch (DbException) when (attempt < 3)
                {
                    _tail = null; // another node appended: chain after its entries
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }
        }
        finally
        {
            _chain.Release();
        }
    }

    /// <summary>Numbers, stamps and chains the records after the tail and inserts them in <paramref name="transaction"/>; the tail moves only on <see cref="AdvanceAsync"/>.</summary>
    internal async Task<(long Sequence, string? Mac, DateTime At)> InsertChainedAsync(DbContext db, DbTransaction transaction, IReadOnlyList<AuditRecord> batch,
        CancellationToken cancellationToken)
    {
        _tail ??= await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Mac })
            .FirstOrDefaultAsync(cancellationToken) is { } last ? (last.Sequence, last.Mac) : (0, null);
        var (sequence, mac) = _tail.Value;
        var at = Microseconds(_time.GetUtcNow().UtcDateTime);
        await using var inserter = new BulkInserter<AuditEntry>(db, transaction, ignoreDuplicates: false);
        foreach (var record in batch)
        {
            var entry = new AuditEntry
            {
                Sequence = ++sequence, At = at, Actor = record.Actor, Role = record.Role, Channel = record.Channel, Action = record.Action,
                RecordType = record.RecordType, RecordId = record.RecordId, CustomerId = record.CustomerId, CallId = record.CallId, Detail = record.Detail,
            };
            entry.Mac = mac = AuditChain.Mac(Key, mac, entry);
            await inserter.AddAsync(entry, cancellationToken);
        }
        await inserter.FlushAsync(cancellationToken);
        return (sequence, mac, at);
    }

    /// <summary>Entries up to <paramref name="sequence"/> are committed: the tail moves there, and a checkpoint is written when one is due.</summary>
    internal async Task AdvanceAsync(long sequence, string? mac, DateTime at, CancellationToken cancellationToken)
    {
        var before = _tail?.Sequence ?? 0;
        _tail = (sequence, mac);
        if (_options.CheckpointFile is { } file && sequence / _options.CheckpointEvery > before / _options.CheckpointEvery)
        {
            try
            {
                await File.AppendAllTextAsync(file, CheckpointLine(new AuditCheckpoint(sequence, mac!, at)) + "\n", cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The entries are committed; a missed checkpoint only weakens truncation detection until the next one.
                Log.CheckpointFailed(_logger, e.GetType().Name, sequence);
            }
        }
    }

    /// <summary>The process's queue for SQLite's write lock (held transactions take it too).</summary>
    internal SqliteWriteGate Gate { get; }

    /// <summary>Whether checkpoints are written outside the database (<see cref="AuditOptions.CheckpointFile"/>).</summary>
    internal bool WritesCheckpoints => _options.CheckpointFile is not null;

    /// <summary>True when appending <paramref name="count"/> entries may pass a checkpoint (or the tail is not known yet).</summary>
    private bool CheckpointDue(int count) =>
        _options.CheckpointFile is not null && (_tail is not { } tail || (tail.Sequence + count) / _options.CheckpointEvery > tail.Sequence / _options.CheckpointEvery);

    /// <summary>The chain may have moved under us (a failed transaction, another node): read the tail again next time.</summary>
    internal void ForgetTail() => _tail = null;

    /// <summary>The stores keep microseconds (PostgreSQL) or more; the chain covers what is stored.</summary>
    private static DateTime Microseconds(DateTime at) => new(at.Ticks - at.Ticks % 10, DateTimeKind.Utc);

    /// <summary>One checkpoint as a line of the checkpoint file.</summary>
    public static string CheckpointLine(AuditCheckpoint checkpoint) => JsonSerializer.Serialize(checkpoint, Json);

    /// <summary>Reads checkpoints written by <see cref="AuditOptions.CheckpointFile"/> (or the CLI): one JSON object per line.</summary>
    public static async Task<IReadOnlyList<AuditCheckpoint>> ReadCheckpointsAsync(string file, CancellationToken cancellationToken) =>
        [.. (await File.ReadAllLinesAsync(file, cancellationToken)).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<AuditCheckpoint>(l, Json)!)];

    private static partial class Log
    {
        [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "Audit batch of {Count} entries failed; none acknowledged")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count);

        [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Audit checkpoint at entry {Sequence} could not be written ({Error})")]
        public static partial void CheckpointFailed(ILogger logger, string error, long sequence);
    }
}
