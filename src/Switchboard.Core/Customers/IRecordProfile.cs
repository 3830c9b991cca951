using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers;

/// <summary>
/// What differs between the records a customer owns (orders, tickets, tasks, ...): how an input is validated
/// and applied, and how a record is shown. <see cref="CustomerRecordService{TEntity, TInput, TView}"/> does the rest.
/// </summary>
internal interface IRecordProfile<TEntity, TInput, TView>
    where TEntity : CrmRecord, ICustomerOwned
    where TInput : IRecordInput
{
    /// <summary>Lower-case singular name used in error codes ("order" gives "order.not_found").</summary>
    string Name { get; }

    CrmEntity EntityType { get; }

    /// <summary>Adds every problem with <paramref name="input"/> to <paramref name="errors"/>.</summary>
    void Validate(TInput input, ValidationErrors errors);

    /// <summary>Copies the input onto the record; defaults fill what the input leaves out.</summary>
    void Apply(TInput input, TEntity entity, TimeProvider time);

    /// <summary>A uniqueness check beyond the external ids (order and ticket numbers).</summary>
    Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, TEntity entity, CancellationToken cancellationToken);

    TView ToView(TEntity entity, IReadOnlyList<ExternalIdView> externalIds);
}
