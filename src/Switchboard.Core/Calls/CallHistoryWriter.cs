using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Calls;

/// <summary>
/// Every ended call becomes an interaction on its customer's timeline (times, agent, queue, direction, outcome), at
/// once and once: the customer is who identification ranks first for the customer's number, and a call already
/// written (same source and call id) is not written again.
/// </summary>
public sealed partial class CallHistoryWriter(CallRegistry calls, IServiceScopeFactory scopes, TimeProvider time, ILogger<CallHistoryWriter> logger)
{
    private readonly ChannelReader<CallAcceptance> _changes = calls.Subscribe();
    private long _written;

    /// <summary>Interactions written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in _changes.ReadAllAsync(stoppingToken))
        {
            if (change.Transition?.Phase != CallPhase.Ended)
            {
                continue;
            }
            try
            {
                if (await WriteAsync(change.Call, stoppingToken))
                {
                    Interlocked.Increment(ref _written);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.WriteFailed(logger, e, change.Call.Source);
            }
        }
    }

    /// <summary>Writes the call's interaction; false when the caller is not a known customer or it was written before.</summary>
    public async Task<bool> WriteAsync(CallSnapshot call, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var identification = await scope.ServiceProvider.GetRequiredService<CallerIdentifier>().IdentifyAsync(call.CustomerNumber, cancellationToken);
        if (identification.Candidates.Count == 0)
        {
            return false;
        }
        var callId = CallIdOf(call);
        if (await db.Interactions.AnyAsync(i => i.CallId == callId, cancellationToken))
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.Interactions.Add(new Interaction
        {
            Id = Ids.New(time), CustomerId = identification.Candidates[0].CustomerId, Kind = InteractionKind.Call,
            Direction = call.Direction == CallDirection.Outbound ? InteractionDirection.Outbound : InteractionDirection.Inbound,
            StartedAt = call.StartedAt ?? now, AnsweredAt = call.AnsweredAt, EndedAt = call.EndedAt, AgentId = call.Agent,
            Queue = call.Queue, Outcome = call.Outcome, CallId = callId, CreatedAt = now, UpdatedAt = now,
        });
        return await RecordChanges.SaveAsync(db, "interaction", cancellationToken) is null;
    }

    /// <summary>The interaction's call id: source and the source's call id, unique across sources.</summary>
    public static string CallIdOf(CallSnapshot call) => CallIdOf(call.Source, call.SourceCallId);

    /// <inheritdoc cref="CallIdOf(CallSnapshot)"/>
    public static string CallIdOf(string source, string sourceCallId) => $"{source}/{sourceCallId}";

    private static partial class Log
    {
        [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Writing an ended call from source {Source} to the timeline failed")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string source);
    }
}
