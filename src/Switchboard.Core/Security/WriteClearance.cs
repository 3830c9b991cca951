using Switchboard.Core.Common;
using Switchboard.Core.Customers;

namespace Switchboard.Core.Security;

/// <summary>
/// No mass assignment and no blind writes (docs/security.md): a write may set only what the writer's role may set,
/// and never overwrite what the role may not read. A customer's tier, lifecycle and owner are checked where they are
/// applied (<see cref="CustomerService"/>, the governing roles); the records a customer owns are checked here, before
/// anything is read or written: orders carry an amount, so roles not cleared for amounts do not write them; such roles
/// may open an opportunity without an amount but not rewrite one; an opportunity's owner is named by sales and the
/// governing roles; a complaint (a sensitive ticket) may be logged by anyone but rewritten only by roles that may read it.
/// </summary>
public static class WriteClearance
{
    /// <param name="input">The body of the write.</param>
    /// <param name="viewer">Who writes.</param>
    /// <param name="replacing">A replace (PUT) of an existing record, rather than a create.</param>
    /// <param name="targetSensitive">The record replaced is a sensitive ticket.</param>
    /// <returns>403 field.forbidden naming each field, or null when the write may go ahead.</returns>
    public static Error? Check(object? input, Viewer viewer, bool replacing, bool targetSensitive)
    {
        var forbidden = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var role = viewer.Role;
        switch (input)
        {
            case OrderInput when !Clearance.Amounts(role):
                forbidden["amount"] = ["is withheld from your role, which therefore may not write orders."];
                break;
            case OpportunityInput opportunity:
                if (!Clearance.Amounts(role) && (opportunity.Amount is not null || replacing))
                {
                    forbidden["amount"] = ["is withheld from your role: open opportunities without one; sales set it."];
                }
                if (opportunity.OwnerAgentId is not null && !(Clearance.Governs(role) || role == Role.Sales))
                {
                    forbidden["ownerAgentId"] = ["may be set by sales, supervisors, managers, admins and integrations only."];
                }
                break;
            case TicketInput when replacing && targetSensitive && !Clearance.ComplaintContent(role):
                forbidden["subject"] = ["belongs to a complaint your role may not read, so your role may not rewrite it (add an update instead)."];
                break;
        }
        return forbidden.Count == 0 ? null
            : new Error(ErrorKind.Forbidden, "field.forbidden", $"Your role may not write {string.Join(", ", forbidden.Keys)}; nothing was written.", forbidden);
    }
}
