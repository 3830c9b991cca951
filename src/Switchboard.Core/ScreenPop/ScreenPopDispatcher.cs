using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Core.Audit;
using Switchboard.Core.Calls;
using Switchboard.Core.Security;

namespace Switchboard.Core.ScreenPop;

/// <summary>
/// Turns "the call now rings at agent X" into a pop on X's desktop: reads the registry's transitions (so the
/// telephony answer never waits for it), composes from the replica, shapes by the field policy for the
/// agent's role, and sends it while its read is committed to the audit trail (docs/adr/0014). When a call is
/// offered or queued, the caller's context is composed ahead (<see cref="PopContextCache"/>), so the ring only sends. One pop per
/// call leg: an agent gets a call's pop once, however many events repeat that it rings there.
/// </summary>
public sealed partial class ScreenPopDispatcher(
    CallRegistry calls, IServiceScopeFactory scopes, Viewers viewers, AccessGrants grants, TimeProvider time, IAgentNotifier notifier, AuditLog audit,
    Microsoft.Extensions.Options.IOptions<AuditOptions> auditOptions, ILogger<ScreenPopDispatcher> logger)
{
    private readonly ChannelReader<CallAcceptance> _changes = calls.Subscribe();
    private readonly HashSet<(string Source, string CallId, string Agent)> _popped = [];
    private readonly Queue<(string, string, string)> _poppedOrder = new();
    private static readonly int Parallelism = Math.Max(4, Environment.ProcessorCount * 4);
    private long _sent;

    /// <summary>Pops sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // Legs are checked one at a time (no pop twice); composing and sending runs for several calls at once,
        // so one slow pop never holds up the calls behind it.
        using var slots = new SemaphoreSlim(Parallelism);
        var inFlight = new List<Task>();
        await foreach (var change in _changes.ReadAllAsync(stoppingToken))
        {
            if (change is { Outcome: ApplyOutcome.Applied, Call: { Phase: CallPhase.Offered or CallPhase.Queued, Agent: null, CustomerNumber: not null } })
            {
                // Offered or queued, not ringing yet: compose the caller's context now, so the pop is ready to send.
                await slots.WaitAsync(stoppingToken);
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(PrepareAsync(change.Call, slots, stoppingToken));
                continue;
            }
            if (change is { Transition.Phase: CallPhase.Ended, Call: { Agent: { } handledBy, AnsweredAt: not null, EndedAt: { } endedAt } })
            {
                // The agent talked to the caller: their desktop opens the wrap-up (best effort; the API has it anyway).
                _ = NoticeAsync(handledBy, new WrapUpNotice(change.Call.Source, change.Call.SourceCallId, endedAt), stoppingToken);
                continue;
            }
            if (change.Transition?.Agent is not { } agent || change.Call.Phase is CallPhase.Ended)
            {
                continue;
            }
            var leg = (change.Call.Source, change.Call.SourceCallId, agent);
            if (!_popped.Add(leg))
            {
                continue;
            }
            Remember(leg);
            await slots.WaitAsync(stoppingToken);
            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(PopAsync(change.Call, agent, slots, stoppingToken));
        }
        await Task.WhenAll(inFlight);
    }

    private async Task PopAsync(CallSnapshot call, string agent, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var viewer = await viewers.OfAgentAsync(agent, stoppingToken);
            var pop = FieldPolicy.Shape(await scope.ServiceProvider.GetRequiredService<ScreenPopComposer>().ComposeAsync(call, stoppingToken), viewer);
            // What the pop shows is appended to the audit trail while it is sent (Audit:PopReadsBeforeSend: before), and the
            // pop returns only once the entry is committed; a crash in between is recovered from the call journal, which
            // holds the ring (PopReadRecovery). The offer lets the agent open the customer, and the other candidates a
            // shared number matched (CustomerAccess).
            var shown = Disclosures.Of(pop);
            var appended = Task.CompletedTask;
            if (shown.Count > 0)
            {
                var callId = $"{call.Source}/{call.SourceCallId}";
                var strict = auditOptions.Value.PopReadsBeforeSend;
                appended = Task.WhenAll(shown.Select(d => audit.AppendAsync(new AuditRecord(agent, viewer.Role.ToString(), AuditChannel.SignalR, AuditAction.Read,
                    d.RecordType, d.RecordId, d.CustomerId, callId, AuditLog.Read(d.Fields)) { Unhurried = !strict }, stoppingToken)));
                var now = time.GetUtcNow().UtcDateTime;
                foreach (var d in shown)
                {
                    grants.Grant(agent, d.CustomerId, now);
                }
                if (strict)
                {
                    await appended;
                }
            }
            await notifier.SendScreenPopAsync(agent, pop, stoppingToken);
            Interlocked.Increment(ref _sent);
            // The commit finishes on its own; the slot goes to the next pop now (holding it for a disk flush queued
            // pops behind it: the p99 went from 9 to 20 ms at 400 pops/s).
            if (!appended.IsCompleted)
            {
                _ = ObserveAsync(appended, call.Source, agent);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed pop must not stop the next one; the agent still gets the call from the phone.
            Log.PopFailed(logger, e, call.Source, agent);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task NoticeAsync(string agent, WrapUpNotice notice, CancellationToken stoppingToken)
    {
        try
        {
            await notifier.SendWrapUpAsync(agent, notice, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.WrapUpNoticeFailed(logger, e, notice.Source, agent);
        }
    }

    private async Task ObserveAsync(Task appended, string source, string agent)
    {
        try
        {
            await appended;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ReadNotAudited(logger, e, source, agent); // the journal still holds the ring: the next start recovers it
        }
    }

    private async Task PrepareAsync(CallSnapshot call, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ScreenPopComposer>().ContextAsync(call.CustomerNumber, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a head start: the pop composes again when the call rings.
            Log.PrepareFailed(logger, e, call.Source);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Bounds the memory of legs popped: the oldest are forgotten beyond 100,000.</summary>
    private void Remember((string, string, string) leg)
    {
        _poppedOrder.Enqueue(leg);
        while (_poppedOrder.Count > 100_000)
        {
            _popped.Remove(_poppedOrder.Dequeue());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Error, Message = "Screen pop from source {Source} to agent {Agent} failed")]
        public static partial void PopFailed(ILogger logger, Exception exception, string source, string agent);

        [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Composing a caller's context ahead for source {Source} failed")]
        public static partial void PrepareFailed(ILogger logger, Exception exception, string source);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "The read of a pop from source {Source} to agent {Agent} did not reach the audit trail; the next start recovers it from the call journal")]
        public static partial void ReadNotAudited(ILogger logger, Exception exception, string source, string agent);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Telling agent {Agent} that a call from source {Source} ended (wrap-up) failed; the wrap-up is in the API anyway")]
        public static partial void WrapUpNoticeFailed(ILogger logger, Exception exception, string source, string agent);
    }
}
