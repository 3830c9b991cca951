namespace Switchboard.Core.Security;

/// <summary>
/// One ASP.NET Core data-protection key (XML), kept in the store so sign-in cookies and bearer tokens survive a
/// restart and are honoured by every node sharing the store.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = "";
}
