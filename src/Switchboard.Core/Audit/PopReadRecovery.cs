using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Calls;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;

namespace Switchboard.Core.Audit;

/// <summary>
/// Closes the one window a pop's read entry has (docs/adr/0014): the entry is committed while the pop is sent, so a
/// crash in that millisecond could leave a pop without its entry. The call journal recorded, durably and before any
/// pop existed, every call that rang at an agent; at start this pass finds the rings of the last
/// <see cref="AuditOptions.RecoverPopReadsSeconds"/> seconds before the journal's last event whose call has no read for that agent in the trail, and
/// appends one for each customer the caller's number identifies, marked as recovered (the fields shown are not known).
/// </summary>
public sealed class PopReadRecovery(IServiceScopeFactory scopes, AuditLog audit, Viewers viewers)
{
    public async Task<int> RecoverAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        if (!audit.Enabled || window <= TimeSpan.Zero)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        // A crash loses at most the reads of its last moments: look at the rings of the window before the last event the
        // journal holds (when the process stopped), not at everything recent — a run with auditing turned off left no
        // reads on purpose, and its pops are not put back.
        var lastEvent = await db.CallJournal.AsNoTracking().MaxAsync(e => (DateTime?)e.ReceivedAt, cancellationToken);
        if (lastEvent is null)
        {
            return 0;
        }
        var since = lastEvent.Value - window;
        var rings = await db.CallJournal.AsNoTracking()
            .Where(e => e.ReceivedAt >= since && e.AgentId != null)
            .Select(e => new { e.Source, e.SourceCallId, e.AgentId })
            .Distinct().ToListAsync(cancellationToken);
        if (rings.Count == 0)
        {
            return 0;
        }
        // The reads of the same window (and a minute before it: a read is appended after its ring was journaled).
        var from = since.AddMinutes(-1);
        var audited = (await db.AuditLog.AsNoTracking()
                .Where(e => e.At >= from && e.Channel == AuditChannel.SignalR && e.Action == AuditAction.Read && e.CallId != null)
                .Select(e => new { e.CallId, e.Actor }).ToListAsync(cancellationToken))
            .Select(e => (e.CallId!, e.Actor)).ToHashSet();
        var identifier = scope.ServiceProvider.GetRequiredService<CallerIdentifier>();
        var recovered = 0;
        foreach (var ring in rings)
        {
            var callId = $"{ring.Source}/{ring.SourceCallId}";
            if (audited.Contains((callId, ring.AgentId!)))
            {
                continue;
            }
            // The caller's number, as the call's first events gave it.
            var first = await db.CallJournal.AsNoTracking()
                .Where(e => e.Source == ring.Source && e.SourceCallId == ring.SourceCallId && (e.From != null || e.To != null))
                .OrderBy(e => e.ReceivedAt).Select(e => new { e.Direction, e.From, e.To }).FirstOrDefaultAsync(cancellationToken);
            var number = first is null ? null : first.Direction == CallDirection.Outbound ? first.To : first.From;
            if (number is null)
            {
                continue;
            }
            var viewer = await viewers.OfAgentAsync(ring.AgentId!, cancellationToken);
            var candidates = (await identifier.IdentifyAsync(number, cancellationToken)).Candidates;
            await Task.WhenAll(candidates.Select(c => audit.AppendAsync(new AuditRecord(ring.AgentId!, viewer.Role.ToString(), AuditChannel.SignalR,
                AuditAction.Read, "customer", c.CustomerId.ToString("D"), c.CustomerId, callId, AuditLog.Recovered()), cancellationToken)));
            recovered += candidates.Count;
        }
        return recovered;
    }
}
