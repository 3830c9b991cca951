using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;

namespace Switchboard.Core.WrapUp;

/// <summary>A wrap-up code the agent picks for the call, with its labels.</summary>
public sealed class Disposition
{
    [Required, RegularExpression("^[a-z0-9_]{1,64}$")]
    public string Code { get; set; } = "";

    public string Zh { get; set; } = "";

    public string En { get; set; } = "";

    /// <summary>A ticket made by a wrap-up with this code starts resolved (the agent solved it on the call).</summary>
    public bool Resolves { get; set; }
}

/// <summary>Settings under <c>WrapUp</c>.</summary>
public sealed class WrapUpOptions
{
    /// <summary>How long after the call the agent has to wrap it up (shown as a countdown). Default 120 s.</summary>
    [Range(0, 3600)]
    public int Seconds { get; set; } = 120;

    /// <summary>The codes agents choose from; configuration replaces the whole list.</summary>
    public Disposition[] Dispositions { get; set; } =
    [
        new() { Code = "resolved", Zh = "已解决", En = "Resolved", Resolves = true },
        new() { Code = "follow_up", Zh = "需跟进", En = "Follow-up needed" },
        new() { Code = "callback", Zh = "需回电", En = "Call back" },
        new() { Code = "sales_lead", Zh = "销售机会", En = "Sales lead" },
        new() { Code = "complaint", Zh = "投诉", En = "Complaint" },
        new() { Code = "wrong_number", Zh = "打错电话", En = "Wrong number", Resolves = true },
    ];
}

/// <summary>An open ticket the summary may follow up.</summary>
public sealed record WrapUpTicket(Guid Id, string Number, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Subject, TicketStatus Status, bool IsSensitive);

/// <summary>What the desktop shows after a call: the drafted summary, the codes, the open tickets, the time left.</summary>
public sealed record WrapUpDraft(
    string CallId, Guid? CustomerId, string? CustomerName, SummaryDraft Summary, IReadOnlyList<Disposition> Dispositions,
    IReadOnlyList<WrapUpTicket> OpenTickets, DateTime? EndsAt, string? ConfirmedDisposition);

/// <summary>The agent's confirmed wrap-up: the summary as edited, the code, and the open ticket it follows up (else a new ticket).</summary>
public sealed record WrapUpInput(string? Summary, string? Disposition, Guid? TicketId, string? TicketSubject);

/// <summary>What the confirmation wrote.</summary>
public sealed record WrapUpResult(
    Guid InteractionId, Guid TicketId, string TicketNumber, bool TicketCreated, Guid? CompanyInteractionId, IReadOnlyList<FollowUp.FollowUpMade> FollowUps);

/// <summary>
/// After the call: drafts the service summary from the call's facts, the customer's context and the transcript; the
/// agent edits and confirms it with a disposition; the confirmation, in one transaction, puts the summary on the call's
/// interaction (the customer's timeline), creates a ticket in the pool or adds to the open ticket it follows up, and
/// notes the call on the timeline of the customer's company. Everything it writes reaches other systems through the
/// outbox. Only the call's own agent may wrap it up (or a role cleared for all customers).
/// </summary>
internal sealed class WrapUpService(
    SwitchboardDbContext db, CallRegistry calls, CallerIdentifier identifier, TranscriptService transcripts, ISummarizer summarizer,
    FollowUp.FollowUpService followUps, IOptions<WrapUpOptions> options, TimeProvider time)
{
    public async Task<Result<WrapUpDraft>> DraftAsync(string source, string sourceCallId, Viewer viewer, CancellationToken cancellationToken)
    {
        var found = await CallOfAsync(source, sourceCallId, viewer, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var (call, callId, customer, interaction) = found.Value;
        var tickets = customer is null ? [] : await OpenTicketsAsync(customer.Id, cancellationToken);
        var facts = new SummaryFacts(customer?.DisplayName, customer is null ? null : WireNames.Of(customer.Tier), call.Queue, call.Agent,
            call.Direction == CallDirection.Outbound, call.AnsweredAt is { } answered && call.EndedAt is { } ended ? ended - answered : null,
            [.. tickets.Select(t => t.Number)]);
        var summary = await summarizer.SummarizeAsync(facts, await transcripts.GetAsync(callId, cancellationToken), cancellationToken);
        return new WrapUpDraft(callId, customer?.Id, customer?.DisplayName, summary, options.Value.Dispositions,
            [.. tickets.Select(t => new WrapUpTicket(t.Id, t.Number, FieldPolicy.Shape(t.View, viewer).Subject, t.View.Status, t.View.IsSensitive))],
            call.EndedAt?.AddSeconds(options.Value.Seconds), interaction?.Disposition);
    }

    public async Task<Result<WrapUpResult>> ConfirmAsync(string source, string sourceCallId, WrapUpInput input, Viewer viewer, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("summary", input.Summary, Limits.Body);
        var disposition = options.Value.Dispositions.FirstOrDefault(d => d.Code == input.Disposition);
        if (disposition is null)
        {
            errors.Add("disposition", $"must be one of {string.Join(", ", options.Value.Dispositions.Select(d => d.Code))}.");
        }
        errors.MaxLength("ticketSubject", input.TicketSubject, Limits.Subject);
        if (errors.Any)
        {
            return errors.ToError();
        }
        var found = await CallOfAsync(source, sourceCallId, viewer, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var (call, callId, customer, interaction) = found.Value;
        if (call.Phase != CallPhase.Ended)
        {
            return new Error(ErrorKind.Conflict, "wrapup.call_not_ended", "The call has not ended yet; wrap it up when it has.");
        }
        if (customer is null)
        {
            return new Error(ErrorKind.Conflict, "wrapup.unknown_caller", "The caller is not a customer yet: save them as a lead first (POST /api/v1/identify/leads).");
        }
        if (interaction?.Disposition is not null)
        {
            return new Error(ErrorKind.Conflict, "wrapup.already_confirmed", "This call's wrap-up was confirmed already; edit the ticket or the interaction instead.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (interaction is null)
        {
            // The call's end is written to the timeline in the background; if the agent is quicker, the wrap-up writes it.
            db.Interactions.Add(interaction = new Interaction
            {
                Id = Ids.New(time), CustomerId = customer.Id, Kind = InteractionKind.Call, CallId = callId, Queue = call.Queue, AgentId = call.Agent,
                Direction = call.Direction == CallDirection.Outbound ? InteractionDirection.Outbound : InteractionDirection.Inbound,
                StartedAt = call.StartedAt ?? now, AnsweredAt = call.AnsweredAt, EndedAt = call.EndedAt, Outcome = call.Outcome, CreatedAt = now, UpdatedAt = now,
            });
        }
        else
        {
            RecordChanges.Bump(db, interaction, interaction.Version, time);
        }
        (interaction.Summary, interaction.Disposition) = (input.Summary, disposition!.Code);

        Ticket ticket;
        var created = input.TicketId is null;
        if (input.TicketId is { } followed)
        {
            var open = await db.Tickets.FirstOrDefaultAsync(t => t.Id == followed && t.CustomerId == customer.Id, cancellationToken);
            if (open is null || open.Status is TicketStatus.Resolved or TicketStatus.Closed)
            {
                return Error.Validation("ticketId", "must name an open ticket of this customer.");
            }
            ticket = open;
            db.TicketUpdates.Add(new TicketUpdate
            {
                Id = Ids.New(time), TicketId = ticket.Id, Author = viewer.Name, Body = input.Summary!, IsInternal = false, CreatedAt = now, UpdatedAt = now,
            });
            if (disposition.Resolves)
            {
                ticket.Status = TicketStatus.Resolved;
            }
            RecordChanges.Bump(db, ticket, ticket.Version, time);
        }
        else
        {
            ticket = new Ticket
            {
                Id = Ids.New(time), CustomerId = customer.Id,
                Subject = string.IsNullOrWhiteSpace(input.TicketSubject) ? SubjectOf(input.Summary!) : input.TicketSubject.Trim(),
                Status = disposition.Resolves ? TicketStatus.Resolved : TicketStatus.Open, Priority = TicketPriority.Normal, Category = disposition.Code,
                IsSensitive = disposition.Code == "complaint", Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            ticket.Number = Customers.Profiles.TicketProfile.NewNumber(ticket);
            db.Tickets.Add(ticket);
        }

        Interaction? companyNote = null;
        if (customer.CompanyId is { } companyId)
        {
            db.Interactions.Add(companyNote = new Interaction
            {
                Id = Ids.New(time), CustomerId = companyId, Kind = InteractionKind.Call, Direction = interaction.Direction, StartedAt = interaction.StartedAt,
                EndedAt = interaction.EndedAt, AgentId = call.Agent, Queue = call.Queue, Disposition = disposition.Code,
                Summary = $"{customer.DisplayName}: {input.Summary}" is var s && s.Length > Limits.Body ? s[..Limits.Body] : $"{customer.DisplayName}: {input.Summary}",
                CreatedAt = now, UpdatedAt = now,
            });
        }
        // The follow-up rules read the confirmed summary, the transcript and the customer, and add what they make to this
        // same transaction.
        var transcript = await transcripts.GetAsync(callId, cancellationToken);
        var keywords = ExtractiveSummarizer.Keywords(transcript);
        var openComplaint = await db.Tickets.AnyAsync(t => t.CustomerId == customer.Id && t.IsSensitive
            && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed, cancellationToken);
        var text = input.Summary + "\n" + string.Join("\n", transcript.Where(t => t.Final).Select(t => t.Text));
        var facts = new FollowUp.FollowUpFacts(disposition.Code, keywords, text, WireNames.Of(customer.Tier), WireNames.Of(customer.Lifecycle),
            customer.Region ?? "", customer.Tags, ExtractiveSummarizer.LanguageOf(transcript),
            openComplaint || ticket.IsSensitive);
        var made = await followUps.ApplyAsync(new FollowUp.FollowUpContext(customer, call.Agent, facts), cancellationToken);
        return await RecordChanges.SaveAsync(db, "interaction", cancellationToken) is { } error
            ? error
            : new WrapUpResult(interaction.Id, ticket.Id, ticket.Number, created, companyNote?.Id, made);
    }

    /// <summary>The customer a call the viewer may name is about (its timeline entry's, else the number's best match), or null.</summary>
    public async Task<Guid?> CustomerOfCallAsync(string source, string sourceCallId, Viewer viewer, CancellationToken cancellationToken) =>
        await CallOfAsync(source, sourceCallId, viewer, cancellationToken) is { IsSuccess: true } found ? found.Value.Customer?.Id : null;

    private async Task<Result<(CallSnapshot Call, string CallId, Customer? Customer, Interaction? Interaction)>> CallOfAsync(
        string source, string sourceCallId, Viewer viewer, CancellationToken cancellationToken)
    {
        var call = calls.Find(source, sourceCallId);
        if (call is null || !CustomerAccess.MayName(call, viewer))
        {
            return Error.NotFound("call"); // another agent's call does not exist for this one
        }
        var callId = CallHistoryWriter.CallIdOf(call);
        // The call's entry; the confirmed one first where the call's end and a quick wrap-up both wrote one (the two
        // writers check before they insert, and can both pass: a known race, without a unique index on the call id yet).
        var interaction = await db.Interactions.Where(i => i.CallId == callId).OrderByDescending(i => i.Disposition != null).ThenBy(i => i.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var customerId = interaction?.CustomerId
            ?? ((await identifier.IdentifyAsync(call.CustomerNumber, cancellationToken)).Candidates is [var best, ..] ? best.CustomerId : null);
        var customer = customerId is null ? null : await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        return (call, callId, customer, interaction);
    }

    private async Task<List<(Guid Id, string Number, TicketView View)>> OpenTicketsAsync(Guid customerId, CancellationToken cancellationToken) =>
        (await db.Tickets.AsNoTracking().Where(t => t.CustomerId == customerId && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed)
            .OrderByDescending(t => t.UpdatedAt).Take(10).ToListAsync(cancellationToken))
        .Select(t => (t.Id, t.Number, new TicketView(t.Id, t.CustomerId, t.Number, t.Subject, t.Status, t.Priority, t.Category, t.IsSensitive, [], t.Version, t.CreatedAt, t.UpdatedAt)))
        .ToList();

    /// <summary>A ticket's subject from the summary: its reason line without the label, else its first line, shortened.</summary>
    private static string SubjectOf(string summary)
    {
        var lines = summary.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var line = lines.FirstOrDefault(l => l.StartsWith("来电原因：", StringComparison.Ordinal) || l.StartsWith("Reason: ", StringComparison.Ordinal)) is { } reason
            ? reason[(reason.IndexOf(reason.StartsWith('R') ? ' ' : '：') + 1)..].Trim()
            : lines.Length > 0 ? lines[0] : summary;
        return line.Length <= 120 ? line : string.Concat(line.AsSpan(0, 119), "…");
    }
}
