using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers.Profiles;

internal sealed class OrderProfile : IRecordProfile<Order, OrderInput, OrderView>
{
    public string Name => "order";

    public CrmEntity EntityType => CrmEntity.Order;

    public void Validate(OrderInput input, ValidationErrors errors)
    {
        errors.Required("number", input.Number, Limits.Code);
        Rules.Amount(errors, "amount", input.Amount, required: true);
        Rules.Currency(errors, "currency", input.Currency);
        Rules.Enum(errors, "status", input.Status);
    }

    public void Apply(OrderInput input, Order entity, TimeProvider time)
    {
        entity.Number = input.Number!.Trim();
        entity.Amount = input.Amount!.Value;
        entity.Currency = input.Currency!;
        entity.Status = input.Status ?? OrderStatus.Pending;
        entity.PlacedAt = Rules.Utc(input.PlacedAt ?? time.GetUtcNow());
    }

    public async Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, Order entity, CancellationToken cancellationToken) =>
        await db.Orders.AnyAsync(o => o.Number == entity.Number && o.Id != entity.Id, cancellationToken)
            ? new Error(ErrorKind.Conflict, ErrorCodes.Duplicate, "Another order already has this number.")
            : null;

    public OrderView ToView(Order e, IReadOnlyList<ExternalIdView> externalIds) =>
        new(e.Id, e.CustomerId, e.Number, e.Amount, e.Currency, e.Status, e.PlacedAt, externalIds, e.Version, e.CreatedAt, e.UpdatedAt);
}
