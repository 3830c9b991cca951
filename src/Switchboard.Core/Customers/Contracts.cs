using System.Text.Json.Serialization;

namespace Switchboard.Core.Customers;

// Wire shapes of the CRM replica, shared by every face (REST today; SOAP and SignalR later).
// Inputs are nullable so that validation, not the JSON reader, names every missing field.
// A view's field marked JsonIgnore(WhenWritingNull) may be withheld by the field policy (Security/FieldPolicy.cs):
// then it is absent from the JSON, never an empty string.

/// <summary>An id of the record in another system.</summary>
public sealed record ExternalIdInput(string? System, string? Id);

/// <summary>An id of the record in another system.</summary>
public sealed record ExternalIdView(string System, string Id);

/// <summary>What every record input carries.</summary>
public interface IRecordInput
{
    /// <summary>Ids of the record in other systems; on update, a given list replaces the stored one.</summary>
    IReadOnlyList<ExternalIdInput>? ExternalIds { get; }

    /// <summary>On update: the version that was read (or send it in <c>If-Match</c>).</summary>
    long? Version { get; }
}

/// <summary>A phone number or email to add to a customer.</summary>
public sealed record ContactPointInput : IRecordInput
{
    /// <summary>Default <c>mobile</c>.</summary>
    public ContactKind? Kind { get; init; }

    /// <summary>The number or address as written; required.</summary>
    public string? Value { get; init; }

    public bool? IsPrimary { get; init; }

    public string? Label { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    public long? Version { get; init; }
}

/// <summary>A phone number or email of a customer, with its normalised form.</summary>
public sealed record ContactPointView(
    Guid Id, Guid CustomerId, ContactKind Kind, string Raw, string? E164, string? Email,
    ContactPointStatus Status, bool IsPrimary, string? Label, IReadOnlyList<ExternalIdView> ExternalIds,
    long Version, DateTime CreatedAt, DateTime UpdatedAt) : IRecordView;

/// <summary>Creates or replaces a customer. Contact points are accepted on create only; afterwards they have their own resource.</summary>
public sealed record CustomerInput : IRecordInput
{
    /// <summary>Default <c>person</c>.</summary>
    public CustomerKind? Kind { get; init; }

    /// <summary>Required; at most 200 characters.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Default <c>standard</c>.</summary>
    public ValueTier? Tier { get; init; }

    /// <summary>Default <c>active</c>.</summary>
    public LifecycleStage? Lifecycle { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? Region { get; init; }

    /// <summary>BCP 47 tag such as <c>zh-CN</c>.</summary>
    public string? PreferredLanguage { get; init; }

    public string? OwnerAgentId { get; init; }

    public string? OwnerTeam { get; init; }

    /// <summary>For a person: the company they are a contact of.</summary>
    public Guid? CompanyId { get; init; }

    /// <summary>Create only.</summary>
    public IReadOnlyList<ContactPointInput>? ContactPoints { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    /// <summary>On update: the version that was read (or send it in <c>If-Match</c>).</summary>
    public long? Version { get; init; }
}

/// <summary>A customer of the replica.</summary>
public sealed record CustomerView(
    Guid Id, CustomerKind Kind, string DisplayName, ValueTier Tier, LifecycleStage Lifecycle,
    IReadOnlyList<string> Tags, string? Region, string? PreferredLanguage, string? OwnerAgentId, string? OwnerTeam,
    Guid? CompanyId, IReadOnlyList<ContactPointView> ContactPoints, IReadOnlyList<ExternalIdView> ExternalIds,
    long Version, DateTime CreatedAt, DateTime UpdatedAt) : IRecordView;

/// <summary>Creates or replaces an order.</summary>
public sealed record OrderInput : IRecordInput
{
    /// <summary>Required and unique.</summary>
    public string? Number { get; init; }

    /// <summary>Required, not negative.</summary>
    public decimal? Amount { get; init; }

    /// <summary>ISO 4217, e.g. <c>CNY</c>; required.</summary>
    public string? Currency { get; init; }

    /// <summary>Default <c>pending</c>.</summary>
    public OrderStatus? Status { get; init; }

    /// <summary>Default: now.</summary>
    public DateTimeOffset? PlacedAt { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    public long? Version { get; init; }
}

/// <summary>An order. <see cref="Amount"/> is absent for roles not cleared for amounts.</summary>
public sealed record OrderView(
    Guid Id, Guid CustomerId, string Number, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Amount, string Currency, OrderStatus Status, DateTime PlacedAt,
    IReadOnlyList<ExternalIdView> ExternalIds, long Version, DateTime CreatedAt, DateTime UpdatedAt) : IRecordView;

/// <summary>Creates or replaces a ticket.</summary>
public sealed record TicketInput : IRecordInput
{
    /// <summary>Unique; generated (<c>TK-yyyyMMdd-xxxxxxxxxxxx</c>) when absent.</summary>
    public string? Number { get; init; }

    /// <summary>Required.</summary>
    public string? Subject { get; init; }

    /// <summary>Default <c>new</c>.</summary>
    public TicketStatus? Status { get; init; }

    /// <summary>Default <c>normal</c>.</summary>
    public TicketPriority? Priority { get; init; }

    public string? Category { get; init; }

    /// <summary>Complaints and other sensitive cases. Default false.</summary>
    public bool? IsSensitive { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    public long? Version { get; init; }
}

/// <summary>A ticket. A sensitive ticket's (a complaint's) <see cref="Subject"/> is absent for roles not cleared for complaint content.</summary>
public sealed record TicketView(
    Guid Id, Guid CustomerId, string Number, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject, TicketStatus Status, TicketPriority Priority,
    string? Category, bool IsSensitive, IReadOnlyList<ExternalIdView> ExternalIds,
    long Version, DateTime CreatedAt, DateTime UpdatedAt) : IRecordView;

/// <summary>Appends an update to a ticket.</summary>
public sealed record TicketUpdateInput(string? Author, string? Body, bool? IsInternal);

/// <summary>
/// An update of a ticket. <see cref="Sensitive"/>: the ticket is a complaint or another sensitive case, and
/// <see cref="Body"/> is absent for roles not cleared for complaint content.
/// </summary>
public sealed record TicketUpdateView(
    Guid Id, Guid TicketId, Guid CustomerId, string Author, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Body,
    bool IsInternal, bool Sensitive, DateTime CreatedAt);

/// <summary>Creates or replaces an opportunity.</summary>
public sealed record OpportunityInput : IRecordInput
{
    /// <summary>Required.</summary>
    public string? Title { get; init; }

    /// <summary>Default <c>qualification</c>.</summary>
    public OpportunityStage? Stage { get; init; }

    /// <summary>Default 0; not negative.</summary>
    public decimal? Amount { get; init; }

    /// <summary>ISO 4217; required.</summary>
    public string? Currency { get; init; }

    public string? OwnerAgentId { get; init; }

    public DateTimeOffset? ExpectedCloseAt { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    public long? Version { get; init; }
}

/// <summary>An opportunity. <see cref="Amount"/> is absent for roles not cleared for amounts.</summary>
public sealed record OpportunityView(
    Guid Id, Guid CustomerId, string Title, OpportunityStage Stage, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Amount, string Currency,
    string? OwnerAgentId, DateTime? ExpectedCloseAt, IReadOnlyList<ExternalIdView> ExternalIds,
    long Version, DateTime CreatedAt, DateTime UpdatedAt) : IRecordView;

/// <summary>Creates or replaces a follow-up task.</summary>
public sealed record FollowUpTaskInput : IRecordInput
{
    /// <summary>Required.</summary>
    public string? Title { get; init; }

    /// <summary>An agent, a team, or both; at least one.</summary>
    public string? AssigneeAgentId { get; init; }

    public string? AssigneeTeam { get; init; }

    /// <summary>Required.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Default <c>open</c>.</summary>
    public FollowUpStatus? Status { get; init; }

    /// <summary>With <see cref="FollowsUpId"/>: the record it follows up.</summary>
    public FollowUpTarget? FollowsUpKind { get; init; }

    public Guid? FollowsUpId { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    public long? Version { get; init; }
}

/// <summary>A follow-up task.</summary>
public sealed record FollowUpTaskView(
    Guid Id, Guid CustomerId, string Title, string? AssigneeAgentId, string? AssigneeTeam, DateTime DueAt,
    FollowUpStatus Status, FollowUpTarget? FollowsUpKind, Guid? FollowsUpId, IReadOnlyList<ExternalIdView> ExternalIds,
    long Version, DateTime CreatedAt, DateTime UpdatedAt) : IRecordView;

/// <summary>Creates or replaces a timeline entry.</summary>
public sealed record InteractionInput : IRecordInput
{
    /// <summary>Default <c>note</c>.</summary>
    public InteractionKind? Kind { get; init; }

    /// <summary>Default <c>internal</c>.</summary>
    public InteractionDirection? Direction { get; init; }

    /// <summary>Default: now.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>For calls: when it was answered; not before <see cref="StartedAt"/>.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>Not before <see cref="StartedAt"/>.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>For calls: the queue.</summary>
    public string? Queue { get; init; }

    /// <summary>For calls: answered, missed or abandoned.</summary>
    public Calls.CallOutcome? Outcome { get; init; }

    public string? AgentId { get; init; }

    public string? CallId { get; init; }

    public string? Summary { get; init; }

    public IReadOnlyList<ExternalIdInput>? ExternalIds { get; init; }

    public long? Version { get; init; }
}

/// <summary>A timeline entry.</summary>
public sealed record InteractionView(
    Guid Id, Guid CustomerId, InteractionKind Kind, InteractionDirection Direction, DateTime StartedAt, DateTime? AnsweredAt,
    DateTime? EndedAt, string? Queue, Calls.CallOutcome? Outcome, string? AgentId, string? CallId, string? Summary, IReadOnlyList<ExternalIdView> ExternalIds,
    long Version, DateTime CreatedAt, DateTime UpdatedAt, string? Disposition = null) : IRecordView;

/// <summary>One entry of a customer's timeline, of any kind, newest first.</summary>
/// <param name="Type">call, note, email, chat, visit (interactions), order, ticket, ticket_update, opportunity, task.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="RecordId">The id of the record behind the entry.</param>
/// <param name="Title">What the entry is, never sensitive: the order or ticket number, the opportunity or task title, the kind of interaction.</param>
/// <param name="Detail">What it says: the interaction's summary, the ticket's subject, the update's text (shortened). Absent when withheld.</param>
/// <param name="Amount">Orders and opportunities; absent for roles not cleared for amounts.</param>
/// <param name="Currency">With <paramref name="Amount"/>.</param>
/// <param name="Status">The record's state, where it has one.</param>
/// <param name="Sensitive">Part of a complaint or another sensitive ticket.</param>
public sealed record TimelineEntry(
    string Type, DateTime At, Guid RecordId, string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Amount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Currency,
    string? Status, bool Sensitive = false);

/// <summary>A record shown with its id and version; REST sends the version as the ETag.</summary>
public interface IRecordView
{
    /// <summary>The record's id.</summary>
    Guid Id { get; }

    /// <summary>The version a later write must name.</summary>
    long Version { get; }
}
