using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers.Profiles;

internal sealed class TicketProfile : IRecordProfile<Ticket, TicketInput, TicketView>
{
    public string Name => "ticket";

    public CrmEntity EntityType => CrmEntity.Ticket;

    public void Validate(TicketInput input, ValidationErrors errors)
    {
        errors.MaxLength("number", input.Number, Limits.Code);
        errors.Required("subject", input.Subject, Limits.Subject);
        errors.MaxLength("category", input.Category, Limits.Code);
        Rules.Enum(errors, "status", input.Status);
        Rules.Enum(errors, "priority", input.Priority);
    }

    public void Apply(TicketInput input, Ticket entity, TimeProvider time)
    {
        entity.Number = Rules.Trimmed(input.Number) ?? (entity.Number.Length > 0 ? entity.Number : NewNumber(entity));
        entity.Subject = input.Subject!.Trim();
        entity.Status = input.Status ?? TicketStatus.New;
        entity.Priority = input.Priority ?? TicketPriority.Normal;
        entity.Category = Rules.Trimmed(input.Category);
        entity.IsSensitive = input.IsSensitive ?? false;
    }

    public async Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, Ticket entity, CancellationToken cancellationToken) =>
        await db.Tickets.AnyAsync(t => t.Number == entity.Number && t.Id != entity.Id, cancellationToken)
            ? new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, "Another ticket already has this number.")
            : null;

    public TicketView ToView(Ticket e, IReadOnlyList<ExternalIdView> externalIds) =>
        new(e.Id, e.CustomerId, e.Number, e.Subject, e.Status, e.Priority, e.Category, e.IsSensitive, externalIds, e.Version, e.CreatedAt, e.UpdatedAt);

    /// <summary>
    /// TK-yyyyMMdd-xxxxxxxxxxxx: the date for people, 48 random bits of the GUIDv7 id for uniqueness (8 hex digits, as
    /// first written, collided within a day at about 50,000 tickets; 12 make that about one in three million).
    /// </summary>
    internal static string NewNumber(Ticket entity) =>
        string.Create(CultureInfo.InvariantCulture, $"TK-{entity.CreatedAt:yyyyMMdd}-{entity.Id.ToString("N")[^12..].ToUpperInvariant()}");
}
