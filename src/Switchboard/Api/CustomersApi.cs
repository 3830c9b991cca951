using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Common;
using System.Security.Claims;
using Switchboard.Core.Customers;
using Switchboard.Core.Security;
using Switchboard.Errors;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>REST for customers: <c>/api/v1/customers</c>.</summary>
internal static class CustomersApi
{
    public static RouteGroupBuilder MapCustomers(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/customers").WithTags("Customers");

        group.MapGet("/", ListAsync).WithName("ListCustomers")
            .WithSummary("List or search customers: by phone in any format, name, email, external id, company or tier. Agents, senior agents and sales name at least one criterion and say why (reason, audited); they may then open what they found.")
            .AsCustomerSearch(grants: true);
        group.MapPost("/", CreateAsync).WithName("CreateCustomer")
            .WithSummary("Create a customer, with its contact points and external ids, in one transaction. Tier, lifecycle and owner: supervisors, managers, admins and integrations only (403 field.forbidden).")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetCustomer").WithSummary("Read a customer; the ETag is its version.").ForCustomer("id")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceCustomer").ForCustomer("id")
            .WithSummary("Replace a customer's fields; name the version read in If-Match or the body (409 when stale). Changing tier, lifecycle or owner needs a governing role (403 field.forbidden).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteCustomer").ForCustomer("id")
            .WithSummary("Delete a customer and everything it owns; If-Match makes it conditional.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/timeline", TimelineAsync).WithName("GetCustomerTimeline").ForCustomer("id")
            .WithSummary("The customer's history, newest first: calls, notes, orders, tickets and updates, opportunities, tasks.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<Page<CustomerView>>, ProblemHttpResult>> ListAsync(
        CustomerService customers,
        string? phone, string? name, string? email, string? externalSystem, string? externalId, Guid? companyId, ValueTier? tier,
        string? cursor, int? limit, ClaimsPrincipal user, CancellationToken cancellationToken,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "reason")] string? reason = null)
    {
        _ = reason; // checked and audited by CustomerDataFilter; declared here for the API description
        if (phone is null && name is null && email is null && externalId is null && companyId is null
            && CustomerDataFilter.ViewerOf(user) is { } viewer && !Clearance.AllCustomers(viewer.Role))
        {
            return Error.Validation("phone", "a search by your role names a phone, name, email, external id or company; it does not list everyone.").ToProblem();
        }
        var query = new CustomerQuery
        {
            Phone = phone, Name = name, Email = email, ExternalSystem = externalSystem, ExternalId = externalId, CompanyId = companyId, Tier = tier,
        };
        return (await customers.ListAsync(query, new PageRequest(cursor, limit), cancellationToken)).ToOk();
    }

    /// <summary>Value tier, lifecycle and owner are set by the governing roles only (docs/security.md); others' writes may not change them.</summary>
    private static bool MayGovern(ClaimsPrincipal user) => CustomerDataFilter.ViewerOf(user) is { } viewer && Clearance.Governs(viewer.Role);

    private static async Task<Results<Created<CustomerView>, ProblemHttpResult>> CreateAsync(
        CustomerService customers, CustomerInput input, HttpResponse response, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await customers.CreateAsync(input, cancellationToken, MayGovern(user));
        if (result.IsSuccess)
        {
            Versions.SetETag(response, result.Value);
        }
        return result.ToCreated(c => $"/api/v1/customers/{c.Id}");
    }

    private static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> GetAsync(
        CustomerService customers, Guid id, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await customers.GetAsync(id, cancellationToken);
        if (result.IsSuccess)
        {
            Versions.SetETag(response, result.Value);
        }
        return result.ToOk();
    }

    private static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> ReplaceAsync(
        CustomerService customers, Guid id, CustomerInput input, HttpRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await customers.ReplaceAsync(id, Versions.FromIfMatch(request, input.Version), input, cancellationToken, MayGovern(user));
        if (result.IsSuccess)
        {
            Versions.SetETag(request.HttpContext.Response, result.Value);
        }
        return result.ToOk();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        CustomerService customers, Guid id, HttpRequest request, CancellationToken cancellationToken) =>
        (await customers.DeleteAsync(id, Versions.FromIfMatch(request, null), cancellationToken)).ToNoContent();

    private static async Task<Results<Ok<IReadOnlyList<TimelineEntry>>, ProblemHttpResult>> TimelineAsync(
        TimelineService timeline, Guid id, DateTimeOffset? before, int? limit, CancellationToken cancellationToken) =>
        (await timeline.GetAsync(id, before, limit, cancellationToken)).ToOk();
}
