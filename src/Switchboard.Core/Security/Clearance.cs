namespace Switchboard.Core.Security;

/// <summary>Who sees a customer datum: the person or system it is shown to, by name and role.</summary>
public sealed record Viewer(string Name, Role Role)
{
    /// <summary>Switchboard itself and the operator's CLI: cleared for everything.</summary>
    public static readonly Viewer System = new("switchboard", Role.Admin);
}

/// <summary>
/// What each role is cleared for: the field-level half of the permission matrix (docs/security.md prints it). The
/// shaping step (<see cref="FieldPolicy"/>) and the object-level rule (<see cref="CustomerAccess"/>) read it; nothing
/// else decides.
/// </summary>
public static class Clearance
{
    /// <summary>Phone numbers in full; the others see <c>138****8000</c>. Sales call customers back themselves.</summary>
    public static bool FullNumbers(Role role) => role is Role.Sales or Role.Supervisor or Role.Manager or Role.Admin or Role.Integration;

    /// <summary>Order and opportunity amounts.</summary>
    public static bool Amounts(Role role) => role is Role.SeniorAgent or Role.Sales or Role.Supervisor or Role.Manager or Role.Admin or Role.Integration;

    /// <summary>What a complaint (a sensitive ticket) says: its subject and its updates. Senior agents take the escalations.</summary>
    public static bool ComplaintContent(Role role) => role is Role.SeniorAgent or Role.Supervisor or Role.Manager or Role.Admin or Role.Integration;

    /// <summary>
    /// Any customer. The others open customers of calls offered to them, customers they own, customers they created and
    /// customers a search with a stated reason found (each audited), for <see cref="CustomerAccess.Window"/>.
    /// </summary>
    public static bool AllCustomers(Role role) => role is Role.Supervisor or Role.Manager or Role.Admin or Role.Integration;

    /// <summary>A customer's value tier, lifecycle and owner: who may set them (no mass assignment by the others).</summary>
    public static bool Governs(Role role) => role is Role.Supervisor or Role.Manager or Role.Admin or Role.Integration;
}
