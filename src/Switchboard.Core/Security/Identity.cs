namespace Switchboard.Core.Security;

/// <summary>What a person or a system may see and do (docs/security.md has the matrix).</summary>
public enum Role { Agent, SeniorAgent, Sales, Supervisor, Manager, Auditor, Admin, Integration }

/// <summary>A local user: a person who signs in with a name and a password.</summary>
public sealed class UserAccount
{
    public Guid Id { get; set; }

    /// <summary>Unique sign-in name; for agents, their agent id.</summary>
    public string Name { get; set; } = "";

    public Role Role { get; set; }

    /// <summary>ASP.NET Core Identity's versioned PBKDF2 hash; the password itself is never stored.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Wrong passwords in a row since the last good one.</summary>
    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>An API key of a system (a PBX adapter, a CRM connector): only its SHA-256 is kept; the key is shown once.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; }

    /// <summary>The system's name; rotating makes a new key under the same name while the old one still works for a while.</summary>
    public string Name { get; set; } = "";

    public Role Role { get; set; }

    /// <summary>SHA-256 of the key, lowercase hex.</summary>
    public string KeyHash { get; set; } = "";

    /// <summary>The key's first characters (<c>sbk_AbCd</c>), to tell keys apart in lists and logs.</summary>
    public string Hint { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>Who a request acts as, once its credentials are checked.</summary>
public sealed record Principal(string Name, Role Role, string Kind);

/// <summary>A user as the API and the CLI show it (never the hash).</summary>
public sealed record UserView(Guid Id, string Name, Role Role, DateTime CreatedAt, DateTime? LockedUntil);

/// <summary>An API key as lists show it (never the key or its hash).</summary>
public sealed record ApiKeyView(Guid Id, string Name, Role Role, string Hint, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>A key just made: <see cref="Key"/> is shown this once.</summary>
public sealed record NewApiKey(string Key, ApiKeyView View);
