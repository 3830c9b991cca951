using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Microsoft.EntityFrameworkCore;
using Switchboard.Errors;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>
/// REST for a record type a customer owns: listed and created under <c>/customers/{customerId}/{segment}</c>,
/// read, replaced and deleted at <c>/{segment}/{id}</c>.
/// </summary>
internal static class CustomerRecordsApi
{
    public static void MapCustomerRecords<TEntity, TInput, TView>(this RouteGroupBuilder v1, string segment, string tag, string name)
        where TEntity : CrmRecord, ICustomerOwned, new()
        where TInput : IRecordInput
        where TView : IRecordView
    {
        var recordName = Core.Security.RecordTypes.Of(typeof(TView));
        Func<Core.Persistence.SwitchboardDbContext, Guid, CancellationToken, Task<Guid?>> customerOf = (db, id, cancellationToken) =>
            db.Set<TEntity>().Where(e => e.Id == id).Select(e => (Guid?)e.CustomerId).FirstOrDefaultAsync(cancellationToken);

        v1.MapGet($"/customers/{{customerId:guid}}/{segment}",
                async (CustomerRecordService<TEntity, TInput, TView> service, Guid customerId, string? cursor, int? limit, CancellationToken cancellationToken) =>
                    (await service.ListAsync(customerId, new PageRequest(cursor, limit), cancellationToken)).ToOk())
            .WithTags(tag).WithName($"List{name}s").WithSummary($"The customer's {tag.ToLowerInvariant()}, newest first.").ForCustomer("customerId")
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapPost($"/customers/{{customerId:guid}}/{segment}",
                async Task<Results<Created<TView>, ProblemHttpResult>> (CustomerRecordService<TEntity, TInput, TView> service, Guid customerId, TInput input, HttpResponse response, CancellationToken cancellationToken) =>
                {
                    var result = await service.CreateAsync(customerId, input, cancellationToken);
                    SetETag(response, result);
                    return result.ToCreated(v => $"/api/v1/{segment}/{v.Id}");
                })
            .WithTags(tag).WithName($"Create{name}").WithSummary($"Add to the customer's {tag.ToLowerInvariant()}.").ForCustomer("customerId")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        v1.MapGet($"/{segment}/{{id:guid}}",
                async Task<Results<Ok<TView>, ProblemHttpResult>> (CustomerRecordService<TEntity, TInput, TView> service, Guid id, HttpResponse response, CancellationToken cancellationToken) =>
                {
                    var result = await service.GetAsync(id, cancellationToken);
                    SetETag(response, result);
                    return result.ToOk();
                })
            .WithTags(tag).WithName($"Get{name}").WithSummary("Read one; the ETag is its version.").ForRecord("id", recordName, customerOf)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapPut($"/{segment}/{{id:guid}}",
                async Task<Results<Ok<TView>, ProblemHttpResult>> (CustomerRecordService<TEntity, TInput, TView> service, Guid id, TInput input, HttpRequest request, CancellationToken cancellationToken) =>
                {
                    var result = await service.ReplaceAsync(id, Versions.FromIfMatch(request, input.Version), input, cancellationToken);
                    SetETag(request.HttpContext.Response, result);
                    return result.ToOk();
                })
            .WithTags(tag).WithName($"Replace{name}").WithSummary("Replace one; name the version read in If-Match or the body (409 when stale).").ForRecord("id", recordName, customerOf)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        v1.MapDelete($"/{segment}/{{id:guid}}",
                async (CustomerRecordService<TEntity, TInput, TView> service, Guid id, HttpRequest request, CancellationToken cancellationToken) =>
                    (await service.DeleteAsync(id, Versions.FromIfMatch(request, null), cancellationToken)).ToNoContent())
            .WithTags(tag).WithName($"Delete{name}").WithSummary("Delete one; If-Match makes it conditional.").ForRecord("id", recordName, customerOf)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void SetETag<TView>(HttpResponse response, Result<TView> result) where TView : IRecordView
    {
        if (result.IsSuccess)
        {
            Versions.SetETag(response, result.Value);
        }
    }
}
