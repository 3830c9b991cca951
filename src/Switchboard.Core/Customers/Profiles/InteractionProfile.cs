using Switchboard.Core.Common;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers.Profiles;

internal sealed class InteractionProfile : IRecordProfile<Interaction, InteractionInput, InteractionView>
{
    public string Name => "interaction";

    public CrmEntity EntityType => CrmEntity.Interaction;

    public void Validate(InteractionInput input, ValidationErrors errors)
    {
        Rules.Enum(errors, "kind", input.Kind);
        Rules.Enum(errors, "direction", input.Direction);
        errors.MaxLength("agentId", input.AgentId, Limits.Code);
        errors.MaxLength("callId", input.CallId, Limits.CallId);
        errors.MaxLength("summary", input.Summary, Limits.Body);
        errors.MaxLength("queue", input.Queue, Limits.Code);
        Rules.Enum(errors, "outcome", input.Outcome);
        if (input.StartedAt is { } start && input.EndedAt is { } end && end < start)
        {
            errors.Add("endedAt", "must not be before startedAt.");
        }
        if (input.StartedAt is { } started && input.AnsweredAt is { } answered && answered < started)
        {
            errors.Add("answeredAt", "must not be before startedAt.");
        }
    }

    public void Apply(InteractionInput input, Interaction entity, TimeProvider time)
    {
        entity.Kind = input.Kind ?? InteractionKind.Note;
        entity.Direction = input.Direction ?? InteractionDirection.Internal;
        entity.StartedAt = Rules.Utc(input.StartedAt ?? time.GetUtcNow());
        entity.AnsweredAt = Rules.Utc(input.AnsweredAt);
        entity.EndedAt = Rules.Utc(input.EndedAt);
        entity.Queue = Rules.Trimmed(input.Queue);
        entity.Outcome = input.Outcome;
        entity.AgentId = Rules.Trimmed(input.AgentId);
        entity.CallId = Rules.Trimmed(input.CallId);
        entity.Summary = input.Summary;
    }

    public Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, Interaction entity, CancellationToken cancellationToken) =>
        Task.FromResult<Error?>(null);

    public InteractionView ToView(Interaction e, IReadOnlyList<ExternalIdView> externalIds) =>
        new(e.Id, e.CustomerId, e.Kind, e.Direction, e.StartedAt, e.AnsweredAt, e.EndedAt, e.Queue, e.Outcome, e.AgentId, e.CallId, e.Summary, externalIds, e.Version, e.CreatedAt, e.UpdatedAt, e.Disposition);
}
