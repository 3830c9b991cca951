using System.Security.Claims;
using Switchboard.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;
using Switchboard.Errors;

namespace Switchboard.Security;

/// <summary>
/// Endpoint metadata: the route value that names the customer, or a record of one, whose data the endpoint reads or
/// changes. <see cref="CustomerOf"/> finds the record's customer (null when the value is the customer's own id).
/// </summary>
internal sealed record CustomerScope(string RouteValue, string RecordName, Func<SwitchboardDbContext, Guid, CancellationToken, Task<Guid?>>? CustomerOf = null);

/// <summary>
/// Endpoint metadata: a search for customers. Roles not cleared for all customers must say why (<c>reason</c>, audited
/// with each customer found); when <see cref="Grants"/>, what it found they may then open.
/// </summary>
internal sealed record CustomerSearch(bool Grants);

/// <summary>
/// The REST half of the one mechanism every face goes through (docs/security.md), as an endpoint filter on
/// <c>/api/v1</c>: before the endpoint, the object-level rule (<see cref="CustomerAccess"/>: a customer this caller may
/// not open answers 404, as if it did not exist) and the write rule (<see cref="WriteClearance"/>); after it, the response's value is shaped by
/// <see cref="FieldPolicy"/> for the caller's role and what it shows is appended to the audit trail (reads), durable
/// before the response is written.
/// </summary>
internal sealed class CustomerDataFilter : IEndpointFilter
{
    public const int MaxReason = 200;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (ViewerOf(http.User) is not { } viewer)
        {
            return await next(context); // open endpoints (webhooks, sign-in) carry no customer data
        }
        var cancellationToken = http.RequestAborted;
        var metadata = http.GetEndpoint()?.Metadata;
        Guid? customerId = null;
        if (metadata?.GetMetadata<CustomerScope>() is { } scope && Guid.TryParse(http.Request.RouteValues[scope.RouteValue]?.ToString(), out var id))
        {
            var services = http.RequestServices;
            customerId = scope.CustomerOf is null ? id : await scope.CustomerOf(services.GetRequiredService<SwitchboardDbContext>(), id, cancellationToken);
            // For a role that may not open every customer, a record that exists nowhere and one of a customer it may not
            // open get the same answer, before anything else is looked at (a body's validation would tell them apart).
            if (!Clearance.AllCustomers(viewer.Role)
                && (customerId is not { } owner || !await services.GetRequiredService<CustomerAccess>().MayOpenAsync(viewer, owner, cancellationToken)))
            {
                return Error.NotFound(scope.RecordName).ToProblem();
            }
        }
        if ((HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method))
            && context.Arguments.FirstOrDefault(a => a is IRecordInput) is { } input)
        {
            var replacing = HttpMethods.IsPut(http.Request.Method);
            var sensitive = replacing && input is TicketInput && Guid.TryParse(http.Request.RouteValues["id"]?.ToString(), out var ticketId)
                && await http.RequestServices.GetRequiredService<SwitchboardDbContext>().Tickets.AnyAsync(t => t.Id == ticketId && t.IsSensitive, cancellationToken);
            if (WriteClearance.Check(input, viewer, replacing, sensitive) is { } refused)
            {
                return refused.ToProblem();
            }
        }
        var search = metadata?.GetMetadata<CustomerSearch>();
        var reason = http.Request.Query["reason"].ToString().Trim();
        if (reason.Length == 0 && http.Request.Query["callId"].ToString() is { Length: > 0 } callId)
        {
            reason = $"call {http.Request.Query["source"]}/{callId}"; // a call is its own reason; the endpoint checks it was offered to the caller
        }
        if (search is not null && !Clearance.AllCustomers(viewer.Role) && reason.Length is < 4 or > MaxReason)
        {
            return Error.Validation("reason", $"is required for your role: say in 4 to {MaxReason} characters why you search (it is audited).").ToProblem();
        }

        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result as IResult;
        if (inner is not IValueHttpResult { Value: { } value })
        {
            return result;
        }
        var shaped = FieldPolicy.Shape(value, viewer);
        if (HttpMethods.IsGet(http.Request.Method))
        {
            await AuditAsync(http, viewer, shaped, customerId, search, reason, cancellationToken);
        }
        return ReferenceEquals(shaped, value) ? result : inner switch
        {
            // Created<T> names its location in a property no interface declares.
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status201Created } => TypedResults.Created(inner.GetType().GetProperty("Location")?.GetValue(inner) as string, shaped),
            _ => TypedResults.Ok(shaped),
        };
    }

    /// <summary>Appends a read (or, for a search, a search with its reason) for every record the response shows; returns once committed.</summary>
    private static async Task AuditAsync(HttpContext http, Viewer viewer, object? shaped, Guid? customerId, CustomerSearch? search, string reason, CancellationToken cancellationToken)
    {
        var disclosed = Disclosures.Of(shaped, customerId);
        if (disclosed.Count == 0)
        {
            return;
        }
        var actor = AuditContext.Current;
        var audit = http.RequestServices.GetRequiredService<AuditLog>();
        await audit.AppendReadsAsync(actor, disclosed, cancellationToken, search is null ? AuditAction.Read : AuditAction.Search,
            search is null ? null : d => AuditLog.Search(reason.Length > 0 ? reason : null, http.Request.Path + http.Request.QueryString, d.Fields));
        if (search is { Grants: true } && !Clearance.AllCustomers(viewer.Role))
        {
            var grants = http.RequestServices.GetRequiredService<AccessGrants>();
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            foreach (var d in disclosed)
            {
                grants.Grant(viewer.Name, d.CustomerId, now);
            }
        }
    }

    /// <summary>The signed-in caller as a viewer, or null for an anonymous request.</summary>
    public static Viewer? ViewerOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role)
            ? new Viewer(user.Identity.Name!, role)
            : null;
}

/// <summary>Declares, on an endpoint, whose data it touches (read by <see cref="CustomerDataFilter"/> and the authorization matrix test).</summary>
internal static class CustomerDataEndpoints
{
    /// <summary>The route value is the customer's id.</summary>
    public static TBuilder ForCustomer<TBuilder>(this TBuilder builder, string routeValue) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CustomerScope(routeValue, "customer"));

    /// <summary>The route value is the id of a record of <paramref name="recordName"/>, owned by the customer <paramref name="customerOf"/> finds.</summary>
    public static TBuilder ForRecord<TBuilder>(this TBuilder builder, string routeValue, string recordName,
        Func<SwitchboardDbContext, Guid, CancellationToken, Task<Guid?>> customerOf) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CustomerScope(routeValue, recordName, customerOf));

    /// <summary>A search for customers (see <see cref="CustomerSearch"/>).</summary>
    public static TBuilder AsCustomerSearch<TBuilder>(this TBuilder builder, bool grants) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CustomerSearch(grants));
}
