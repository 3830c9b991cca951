using System.Security.Claims;
using Switchboard.Core.Audit;
using Switchboard.Core.Customers;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>Maps every REST module under <c>/api/v1</c>.</summary>
internal static class SwitchboardApi
{
    public static IEndpointRouteBuilder MapSwitchboardApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1")
            .WithAccessPolicies()                          // who may call what: Security/Access.cs, one table
            .AddEndpointFilter(async (context, next) =>
            {
                // Everything a request reads or changes is audited as its caller (whoever its credential proved, else
                // anonymous), for the call it names in X-Call-Id, if any.
                var call = context.HttpContext.Request.Headers["X-Call-Id"].ToString();
                var user = context.HttpContext.User;
                using var _ = AuditContext.Begin(user.Identity?.IsAuthenticated == true
                    ? new AuditActor(user.Identity.Name!, user.FindFirstValue(ClaimTypes.Role) ?? "", AuditChannel.Rest, call.Length is > 0 and <= 200 ? call : null)
                    : new AuditActor("anonymous", "unauthenticated", AuditChannel.Rest, call.Length is > 0 and <= 200 ? call : null));
                return await next(context);
            })
            .AddEndpointFilter<CustomerDataFilter>()       // object-level rule, field shaping, read audit: Security/CustomerData.cs
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        v1.MapCustomers();
        v1.MapCustomerRecords<ContactPoint, ContactPointInput, ContactPointView>("contact-points", "Contact points", "ContactPoint");
        v1.MapCustomerRecords<Order, OrderInput, OrderView>("orders", "Orders", "Order");
        v1.MapCustomerRecords<Ticket, TicketInput, TicketView>("tickets", "Tickets", "Ticket");
        v1.MapCustomerRecords<Opportunity, OpportunityInput, OpportunityView>("opportunities", "Opportunities", "Opportunity");
        v1.MapCustomerRecords<FollowUpTask, FollowUpTaskInput, FollowUpTaskView>("tasks", "Follow-up tasks", "Task");
        v1.MapCustomerRecords<Interaction, InteractionInput, InteractionView>("interactions", "Interactions", "Interaction");
        v1.MapTicketUpdates();
        v1.MapIdentification();
        v1.MapTelephony();
        v1.MapTwilio();
        v1.MapTelephonySources();
        v1.MapAgents();
        v1.MapStaffing();
        v1.MapRouting();
        v1.MapAudit();
        v1.MapWebhooks();
        v1.MapConnectors();
        v1.MapSync();
        v1.MapDedup();
        v1.MapMappings();
        v1.MapCalls();
        v1.MapFollowUp();
        v1.MapSpeech();
        v1.MapKnowledge();
        v1.MapAuth();
        return app;
    }
}
