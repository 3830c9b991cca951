using System.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Audit;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;
using Switchboard.Delivery;
using Switchboard.Security;

namespace Switchboard.Soap;

/// <summary>
/// The SOAP operations over the same services as the REST API: the caller is the request's authenticated user (an
/// API key of an integration or an admin: the endpoint's policy), what it reads is shaped for its role and audited
/// (channel SOAP), what it writes goes through the replica's services (validated, audited, published). A failure is
/// a SOAP fault whose code is the REST error code (<c>validation.failed</c>, <c>ticket.not_found</c>…) and whose
/// reason names each field.
/// </summary>
internal sealed class SwitchboardSoapService(
    IHttpContextAccessor http, CallerIdentifier identifier, CustomerService customers, CustomerRecordService<Ticket, TicketInput, TicketView> tickets,
    CustomerRecordService<Interaction, InteractionInput, InteractionView> interactions, SwitchboardDbContext db, AuditLog audit, TimeProvider time) : ISwitchboardSoap
{
    public const int MaxChanges = 1_000;

    /// <summary>How long a change must be committed-old before the feed shows it: on PostgreSQL a transaction can take a smaller id and commit later.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(2);

    private Viewer Viewer => CustomerDataFilter.ViewerOf(http.HttpContext!.User) ?? throw Fault("auth.unauthenticated", "No credential.");

    private IDisposable Audited() => AuditContext.Begin(new AuditActor(Viewer.Name, Viewer.Role.ToString(), AuditChannel.Soap));

    public Task<SoapCustomer[]> LookupByPhoneAsync(string phone) => RunAsync(async cancellationToken =>
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > 64)
        {
            throw Fault(ErrorCodes.ValidationFailed, "phone: is required, at most 64 characters.");
        }
        var found = await identifier.IdentifyAsync(phone, cancellationToken);
        var result = new List<SoapCustomer>();
        foreach (var candidate in found.Candidates.Take(20))
        {
            if ((await customers.GetAsync(candidate.CustomerId, cancellationToken)).Value is not { } view)
            {
                continue;
            }
            var shaped = FieldPolicy.Shape(view, Viewer);
            await audit.AppendReadsAsync(AuditContext.Current, Disclosures.Of(shaped, shaped.Id), cancellationToken);
            result.Add(new SoapCustomer
            {
                Id = shaped.Id.ToString("D"), DisplayName = shaped.DisplayName, Kind = WireNames.Of(shaped.Kind), Tier = WireNames.Of(shaped.Tier),
                Lifecycle = WireNames.Of(shaped.Lifecycle), Region = shaped.Region,
                Phones = [.. shaped.ContactPoints.Where(p => p.Kind != ContactKind.Email).Select(p => p.E164 ?? p.Raw)],
                Email = shaped.ContactPoints.FirstOrDefault(p => p.Kind == ContactKind.Email)?.Email,
                OpenTickets = candidate.OpenTickets ?? 0, MatchReason = WireNames.Of(candidate.Reason),
            });
        }
        return result.ToArray();
    });

    public Task<string> LogCallAsync(SoapCallLog call) => RunAsync(async cancellationToken =>
    {
        if (call is null || !Guid.TryParse(call.CustomerId, out var customerId))
        {
            throw Fault(ErrorCodes.ValidationFailed, "customerId: is required, a customer's id.");
        }
        var input = new InteractionInput
        {
            Kind = InteractionKind.Call, Direction = Parse<InteractionDirection>("direction", call.Direction ?? "inbound"),
            StartedAt = Utc(call.StartedAt), AnsweredAt = call.AnsweredAt is { } a ? Utc(a) : null, EndedAt = call.EndedAt is { } e ? Utc(e) : null,
            Queue = call.Queue, AgentId = call.AgentId, CallId = call.CallId, Summary = call.Summary,
            Outcome = call.Outcome is null ? null : Parse<Core.Calls.CallOutcome>("outcome", call.Outcome),
        };
        return Value(await interactions.CreateAsync(customerId, input, cancellationToken)).Id.ToString("D");
    });

    public Task<SoapTicketResult> SaveTicketAsync(SoapTicket ticket) => RunAsync(async cancellationToken =>
    {
        if (ticket is null)
        {
            throw Fault(ErrorCodes.ValidationFailed, "ticket: is required.");
        }
        var input = new TicketInput
        {
            Subject = ticket.Subject, Category = ticket.Category, Version = ticket.Version,
            Status = ticket.Status is null ? null : Parse<TicketStatus>("status", ticket.Status),
            Priority = ticket.Priority is null ? null : Parse<TicketPriority>("priority", ticket.Priority),
        };
        if (string.IsNullOrEmpty(ticket.TicketId))
        {
            if (!Guid.TryParse(ticket.CustomerId, out var customerId))
            {
                throw Fault(ErrorCodes.ValidationFailed, "customerId: is required to create a ticket.");
            }
            var made = Value(await tickets.CreateAsync(customerId, input, cancellationToken));
            return new SoapTicketResult { TicketId = made.Id.ToString("D"), Number = made.Number, Version = made.Version, Created = true };
        }
        if (!Guid.TryParse(ticket.TicketId, out var id))
        {
            throw Fault(ErrorCodes.ValidationFailed, "ticketId: is not a ticket's id.");
        }
        var saved = Value(await tickets.ReplaceAsync(id, ticket.Version, input, cancellationToken));
        return new SoapTicketResult { TicketId = saved.Id.ToString("D"), Number = saved.Number, Version = saved.Version };
    });

    public Task<SoapChanges> GetChangesSinceAsync(long cursor, int max) => RunAsync(async cancellationToken =>
    {
        if (cursor < 0 || max is < 1 or > MaxChanges)
        {
            throw Fault(ErrorCodes.ValidationFailed, $"cursor: 0 or more; max: 1 to {MaxChanges:N0}.");
        }
        var horizon = time.GetUtcNow().UtcDateTime - Horizon;
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.Id > cursor && m.OccurredAt <= horizon).OrderBy(m => m.Id).Take(max + 1)
            .ToListAsync(cancellationToken);
        var page = messages.Take(max).ToList();
        var changes = page.Select(message => new SoapChange
        {
            Id = DestinationSender.EventId(message), Type = message.Type, RecordType = message.RecordType, RecordId = message.RecordId.ToString("D"),
            CustomerId = message.CustomerId?.ToString("D"), OccurredAt = DateTime.SpecifyKind(message.OccurredAt, DateTimeKind.Utc),
            Event = DestinationSender.Envelope(message, Viewer),
        }).ToList();
        // Each event shows a customer's record: one read each, committed together before the answer.
        await audit.AppendReadsAsync(AuditContext.Current, page.Where(m => m.CustomerId is not null)
            .Select(m => new Disclosure(m.CustomerId!.Value, m.RecordType, m.RecordId.ToString("D"), ["event:" + m.Type])), cancellationToken);
        return new SoapChanges { Cursor = page.Count > 0 ? page[^1].Id : cursor, Changes = [.. changes], More = messages.Count > max };
    });

    /// <summary>Runs an operation as the caller (audited as SOAP), mapping a store failure to a fault.</summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation)
    {
        using var _ = Audited();
        var cancellationToken = http.HttpContext?.RequestAborted ?? CancellationToken.None;
        try
        {
            return await operation(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw Fault("store.conflict", "The change could not be saved; read the record again and retry.");
        }
    }

    private static T Value<T>(Result<T> result) => result.IsSuccess ? result.Value : throw Fault(result.Error!);

    private static TEnum Parse<TEnum>(string field, string value) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw Fault(ErrorCodes.ValidationFailed, $"{field}: must be one of {string.Join(", ", Enum.GetValues<TEnum>().Select(v => WireNames.Of(v)))}.");

    private static DateTimeOffset Utc(DateTime value) => new(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime());

    private static FaultException Fault(Error error) => Fault(error.Code,
        error.Fields is { Count: > 0 } fields ? string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")) : error.Message);

    private static FaultException Fault(string code, string reason) =>
        new(new FaultReason(new FaultReasonText(reason, "en")), new FaultCode(code), "");
}
