using System.Text.Json.Serialization;
using Switchboard.Core.Calls;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;

namespace Switchboard.Core.ScreenPop;

/// <summary>
/// What the agent whose phone rings sees before answering: the call, who is calling and why we think so, and the
/// customer's context. Sent over SignalR as <c>ScreenPop</c> (docs/realtime.md). Shaped by <see cref="Security.FieldPolicy"/>
/// for the receiving agent before it leaves the server.
/// </summary>
public sealed record ScreenPopMessage(
    Guid PopId,
    PopCall Call,
    CallerIdentification Identification,
    PopCustomer? Customer,
    DateTime ComposedAt);

/// <summary>The call a pop is about.</summary>
public sealed record PopCall(
    string Source, string CallId, CallPhase Phase, CallDirection? Direction, string? From, string? To, string? Queue,
    string? Agent, DateTime? StartedAt, DateTime? RingingAt);

/// <summary>The best candidate's context, newest first in every list.</summary>
public sealed record PopCustomer(
    Guid Id, string DisplayName, CustomerKind Kind, ValueTier Tier, LifecycleStage Lifecycle, IReadOnlyList<string> Tags,
    string? Region, string? PreferredLanguage, string? OwnerAgentId, string? OwnerTeam, Guid? CompanyId, string? CompanyName,
    IReadOnlyList<PopTicket> OpenTickets, IReadOnlyList<PopInteraction> RecentInteractions,
    IReadOnlyList<PopOrder> RecentOrders, IReadOnlyList<PopOpportunity> OpenOpportunities);

/// <summary>An open ticket; a sensitive one's subject is absent for roles not cleared for complaint content.</summary>
public sealed record PopTicket(Guid Id, string Number, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject, TicketStatus Status, TicketPriority Priority, string? Category, bool IsSensitive, DateTime UpdatedAt);

public sealed record PopInteraction(Guid Id, InteractionKind Kind, InteractionDirection Direction, DateTime StartedAt, string? AgentId, string? Summary);

/// <summary>A recent order; the amount is absent for roles not cleared for amounts.</summary>
public sealed record PopOrder(Guid Id, string Number, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Amount, string Currency, OrderStatus Status, DateTime PlacedAt);

/// <summary>An open opportunity; the amount is absent for roles not cleared for amounts.</summary>
public sealed record PopOpportunity(Guid Id, string Title, OpportunityStage Stage, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Amount, string Currency, string? OwnerAgentId);
