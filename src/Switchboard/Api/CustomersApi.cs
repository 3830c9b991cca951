using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>REST for customers: <c>/api/v1/customers</c>.</summary>
internal static class CustomersApi
{
    public static RouteGroupBuilder MapCustomers(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/customers").WithTags("Customers");

        group.MapGet("/", ListAsync).WithName("ListCustomers")
            .WithSummary("List or search customers: by phone in any format, name, email, external id, company or tier.");
        group.MapPost("/", CreateAsync).WithName("CreateCustomer")
            .WithSummary("Create a customer, with its contact points and external ids, in one transaction.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetCustomer").WithSummary("Read a customer; the ETag is its version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceCustomer")
            .WithSummary("Replace a customer's fields; name the version read in If-Match or the body (409 when stale).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteCustomer")
            .WithSummary("Delete a customer and everything it owns; If-Match makes it conditional.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/timeline", TimelineAsync).WithName("GetCustomerTimeline")
            .WithSummary("The customer's history, newest first: calls, notes, orders, tickets and updates, opportunities, tasks.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<Page<CustomerView>>, ProblemHttpResult>> ListAsync(
        CustomerService customers,
        string? phone, string? name, string? email, string? externalSystem, string? externalId, Guid? companyId, ValueTier? tier,
        string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var query = new CustomerQuery
        {
            Phone = phone, Name = name, Email = email, ExternalSystem = externalSystem, ExternalId = externalId, CompanyId = companyId, Tier = tier,
        };
        return (await customers.ListAsync(query, new PageRequest(cursor, limit), cancellationToken)).ToOk();
    }

    private static async Task<Results<Created<CustomerView>, ProblemHttpResult>> CreateAsync(
        CustomerService customers, CustomerInput input, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await customers.CreateAsync(input, cancellationToken);
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
        CustomerService customers, Guid id, CustomerInput input, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await customers.ReplaceAsync(id, Versions.FromIfMatch(request, input.Version), input, cancellationToken);
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
