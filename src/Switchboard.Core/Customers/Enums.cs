namespace Switchboard.Core.Customers;

/// <summary>A customer is a person or a company; a company can have people as contacts.</summary>
public enum CustomerKind { Person, Company }

/// <summary>How much the customer is worth to the business; routing and screen pops key on it.</summary>
public enum ValueTier { Standard, Silver, Gold, Vip }

/// <summary>Where the customer is in their life with the business.</summary>
public enum LifecycleStage { Lead, Prospect, Active, Loyal, AtRisk, Churned }

/// <summary>What a contact point is: a kind of phone number, or an email address.</summary>
public enum ContactKind { Mobile, Office, Home, Switchboard, Fax, OtherPhone, Email }

/// <summary>How far a contact point could be understood. Nothing is dropped: unparseable values are kept raw.</summary>
public enum ContactPointStatus
{
    /// <summary>Parsed and valid for its region (phones carry an E.164 form).</summary>
    Valid,

    /// <summary>Parsed to E.164 but not a valid number in any known plan (e.g. a new range).</summary>
    Possible,

    /// <summary>Could not be understood; kept raw for a person to fix.</summary>
    Invalid,
}

/// <summary>The state of an order.</summary>
public enum OrderStatus { Pending, Paid, Shipped, Delivered, Cancelled, Refunded }

/// <summary>The state of a ticket.</summary>
public enum TicketStatus { New, Open, Pending, Resolved, Closed }

/// <summary>How urgent a ticket is.</summary>
public enum TicketPriority { Low, Normal, High, Urgent }

/// <summary>The sales stage of an opportunity.</summary>
public enum OpportunityStage { Qualification, NeedsAnalysis, Proposal, Negotiation, Won, Lost }

/// <summary>The state of a follow-up task.</summary>
public enum FollowUpStatus { Open, InProgress, Done, Cancelled }

/// <summary>The kind of record a follow-up task follows up.</summary>
public enum FollowUpTarget { Ticket, Opportunity, Interaction, Order }

/// <summary>The kind of a timeline entry.</summary>
public enum InteractionKind { Call, Note, Email, Chat, Visit }

/// <summary>Which way an interaction went.</summary>
public enum InteractionDirection { Inbound, Outbound, Internal }

/// <summary>The record types that can carry ids from other systems.</summary>
public enum CrmEntity { Customer, ContactPoint, Order, Ticket, Opportunity, FollowUpTask, Interaction }
