using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers.Profiles;

internal sealed class FollowUpTaskProfile : IRecordProfile<FollowUpTask, FollowUpTaskInput, FollowUpTaskView>
{
    public string Name => "task";

    public CrmEntity EntityType => CrmEntity.FollowUpTask;

    public void Validate(FollowUpTaskInput input, ValidationErrors errors)
    {
        errors.Required("title", input.Title, Limits.Subject);
        errors.MaxLength("assigneeAgentId", input.AssigneeAgentId, Limits.Code);
        errors.MaxLength("assigneeTeam", input.AssigneeTeam, Limits.Code);
        if (string.IsNullOrWhiteSpace(input.AssigneeAgentId) && string.IsNullOrWhiteSpace(input.AssigneeTeam))
        {
            errors.Add("assigneeAgentId", "or assigneeTeam is required: a task belongs to someone.");
        }
        if (input.DueAt is null)
        {
            errors.Add("dueAt", "is required.");
        }
        Rules.Enum(errors, "status", input.Status);
        Rules.Enum(errors, "followsUpKind", input.FollowsUpKind);
        if (input.FollowsUpKind is null != input.FollowsUpId is null)
        {
            errors.Add("followsUpId", "and followsUpKind are given together or not at all.");
        }
    }

    public void Apply(FollowUpTaskInput input, FollowUpTask entity, TimeProvider time)
    {
        entity.Title = input.Title!.Trim();
        entity.AssigneeAgentId = Rules.Trimmed(input.AssigneeAgentId);
        entity.AssigneeTeam = Rules.Trimmed(input.AssigneeTeam);
        entity.DueAt = Rules.Utc(input.DueAt!.Value);
        entity.Status = input.Status ?? FollowUpStatus.Open;
        entity.FollowsUpKind = input.FollowsUpKind;
        entity.FollowsUpId = input.FollowsUpId;
    }

    public Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, FollowUpTask entity, CancellationToken cancellationToken) =>
        Task.FromResult<Error?>(null);

    public FollowUpTaskView ToView(FollowUpTask e, IReadOnlyList<ExternalIdView> externalIds) =>
        new(e.Id, e.CustomerId, e.Title, e.AssigneeAgentId, e.AssigneeTeam, e.DueAt, e.Status, e.FollowsUpKind, e.FollowsUpId, externalIds, e.Version, e.CreatedAt, e.UpdatedAt);
}
