using System.Runtime.Serialization;
using System.ServiceModel;

namespace Switchboard.Soap;

/// <summary>The SOAP face's names: one namespace for the contract and its data.</summary>
public static class SoapNames
{
    public const string Namespace = "urn:switchboard:soap:v1";
}

/// <summary>
/// The SOAP face for legacy systems (docs/soap.md): look up customers by phone, log a call, create or update a
/// ticket, read the changes since a cursor. Behind it are the same services, shaping and audit as the REST API.
/// </summary>
[ServiceContract(Namespace = SoapNames.Namespace, Name = "Switchboard")]
public interface ISwitchboardSoap
{
    /// <summary>The customers a phone number identifies (any format; normalised like stored numbers), best first.</summary>
    [OperationContract(Name = "LookupByPhone")]
    Task<SoapCustomer[]> LookupByPhoneAsync(string phone);

    /// <summary>Logs a call on a customer's timeline; returns the interaction's id.</summary>
    [OperationContract(Name = "LogCall")]
    Task<string> LogCallAsync(SoapCallLog call);

    /// <summary>Creates a ticket (no <c>TicketId</c>) or replaces one (<c>TicketId</c> and the <c>Version</c> read).</summary>
    [OperationContract(Name = "SaveTicket")]
    Task<SoapTicketResult> SaveTicketAsync(SoapTicket ticket);

    /// <summary>Up to <c>max</c> (1–1,000) changes after <c>cursor</c> (0 for the first), oldest first, and the cursor to ask with next.</summary>
    [OperationContract(Name = "GetChangesSince")]
    Task<SoapChanges> GetChangesSinceAsync(long cursor, int max);
}

[DataContract(Namespace = SoapNames.Namespace)]
public sealed class SoapCustomer
{
    [DataMember(Order = 0)] public string Id { get; set; } = "";
    [DataMember(Order = 1)] public string DisplayName { get; set; } = "";
    [DataMember(Order = 2)] public string Kind { get; set; } = "";
    [DataMember(Order = 3)] public string Tier { get; set; } = "";
    [DataMember(Order = 4)] public string Lifecycle { get; set; } = "";
    [DataMember(Order = 5)] public string? Region { get; set; }
    [DataMember(Order = 6)] public string[] Phones { get; set; } = [];
    [DataMember(Order = 7)] public string? Email { get; set; }
    [DataMember(Order = 8)] public int OpenTickets { get; set; }
    [DataMember(Order = 9)] public string MatchReason { get; set; } = "";
}

[DataContract(Namespace = SoapNames.Namespace)]
public sealed class SoapCallLog
{
    [DataMember(Order = 0, IsRequired = true)] public string CustomerId { get; set; } = "";
    [DataMember(Order = 1)] public string? CallId { get; set; }
    /// <summary><c>inbound</c> or <c>outbound</c>.</summary>
    [DataMember(Order = 2)] public string? Direction { get; set; }
    [DataMember(Order = 3)] public DateTime StartedAt { get; set; }
    [DataMember(Order = 4)] public DateTime? AnsweredAt { get; set; }
    [DataMember(Order = 5)] public DateTime? EndedAt { get; set; }
    [DataMember(Order = 6)] public string? Queue { get; set; }
    [DataMember(Order = 7)] public string? AgentId { get; set; }
    /// <summary><c>answered</c>, <c>missed</c> or <c>abandoned</c>.</summary>
    [DataMember(Order = 8)] public string? Outcome { get; set; }
    [DataMember(Order = 9)] public string? Summary { get; set; }
}

[DataContract(Namespace = SoapNames.Namespace)]
public sealed class SoapTicket
{
    /// <summary>Empty to create.</summary>
    [DataMember(Order = 0)] public string? TicketId { get; set; }
    [DataMember(Order = 1)] public string? CustomerId { get; set; }
    [DataMember(Order = 2)] public string? Subject { get; set; }
    /// <summary><c>new</c>, <c>open</c>, <c>pending</c>, <c>resolved</c>, <c>closed</c>.</summary>
    [DataMember(Order = 3)] public string? Status { get; set; }
    /// <summary><c>low</c>, <c>normal</c>, <c>high</c>, <c>urgent</c>.</summary>
    [DataMember(Order = 4)] public string? Priority { get; set; }
    [DataMember(Order = 5)] public string? Category { get; set; }
    /// <summary>For an update: the version read (a stale one is refused).</summary>
    [DataMember(Order = 6)] public long? Version { get; set; }
}

[DataContract(Namespace = SoapNames.Namespace)]
public sealed class SoapTicketResult
{
    [DataMember(Order = 0)] public string TicketId { get; set; } = "";
    [DataMember(Order = 1)] public string Number { get; set; } = "";
    [DataMember(Order = 2)] public long Version { get; set; }
    [DataMember(Order = 3)] public bool Created { get; set; }
}

[DataContract(Namespace = SoapNames.Namespace)]
public sealed class SoapChange
{
    /// <summary>The event id (<c>evt_42</c>), the same as webhooks carry.</summary>
    [DataMember(Order = 0)] public string Id { get; set; } = "";
    [DataMember(Order = 1)] public string Type { get; set; } = "";
    [DataMember(Order = 2)] public string RecordType { get; set; } = "";
    [DataMember(Order = 3)] public string RecordId { get; set; } = "";
    [DataMember(Order = 4)] public string? CustomerId { get; set; }
    [DataMember(Order = 5)] public DateTime OccurredAt { get; set; }
    /// <summary>The event as webhooks receive it (JSON), shaped for the caller's role.</summary>
    [DataMember(Order = 6)] public string Event { get; set; } = "";
}

[DataContract(Namespace = SoapNames.Namespace)]
public sealed class SoapChanges
{
    [DataMember(Order = 0)] public long Cursor { get; set; }
    [DataMember(Order = 1)] public SoapChange[] Changes { get; set; } = [];
    [DataMember(Order = 2)] public bool More { get; set; }
}
