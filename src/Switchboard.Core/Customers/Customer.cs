namespace Switchboard.Core.Customers;

/// <summary>A person or a company the business serves.</summary>
public sealed class Customer : CrmRecord
{
    public CustomerKind Kind { get; set; }

    /// <summary>The name shown to agents.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Search key derived from <see cref="DisplayName"/> (NFKC-folded, lower case); never set by clients.</summary>
    public string NameKey { get; set; } = "";

    public ValueTier Tier { get; set; }

    public LifecycleStage Lifecycle { get; set; }

    /// <summary>Free tags such as "vip-hotline" or "投诉"; stored as a JSON array (SQLite) or text[] (PostgreSQL).</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>Sales or service region code, e.g. "CN-31".</summary>
    public string? Region { get; set; }

    /// <summary>BCP 47 language tag the customer prefers, e.g. "zh-CN".</summary>
    public string? PreferredLanguage { get; set; }

    /// <summary>The agent who owns the account (the agent's id in Switchboard).</summary>
    public string? OwnerAgentId { get; set; }

    /// <summary>The team that owns the account when no single agent does.</summary>
    public string? OwnerTeam { get; set; }

    /// <summary>For a person: the company they are a contact of.</summary>
    public Guid? CompanyId { get; set; }

    public List<ContactPoint> ContactPoints { get; set; } = [];
}
