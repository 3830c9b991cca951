using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers.Profiles;

internal sealed class OpportunityProfile : IRecordProfile<Opportunity, OpportunityInput, OpportunityView>
{
    public string Name => "opportunity";

    public CrmEntity EntityType => CrmEntity.Opportunity;

    public void Validate(OpportunityInput input, ValidationErrors errors)
    {
        errors.Required("title", input.Title, Limits.Subject);
        Rules.Amount(errors, "amount", input.Amount, required: false);
        Rules.Currency(errors, "currency", input.Currency);
        errors.MaxLength("ownerAgentId", input.OwnerAgentId, Limits.Code);
        Rules.Enum(errors, "stage", input.Stage);
    }

    public void Apply(OpportunityInput input, Opportunity entity, TimeProvider time)
    {
        entity.Title = input.Title!.Trim();
        entity.Stage = input.Stage ?? OpportunityStage.Qualification;
        entity.Amount = input.Amount ?? 0;
        entity.Currency = input.Currency!;
        entity.OwnerAgentId = Rules.Trimmed(input.OwnerAgentId);
        entity.ExpectedCloseAt = Rules.Utc(input.ExpectedCloseAt);
    }

    public Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, Opportunity entity, CancellationToken cancellationToken) =>
        Task.FromResult<Error?>(null);

    public OpportunityView ToView(Opportunity e, IReadOnlyList<ExternalIdView> externalIds) =>
        new(e.Id, e.CustomerId, e.Title, e.Stage, e.Amount, e.Currency, e.OwnerAgentId, e.ExpectedCloseAt, externalIds, e.Version, e.CreatedAt, e.UpdatedAt);
}
