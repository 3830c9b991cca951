using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Security;
using Switchboard.Errors;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>
/// REST for caller identification: who is this number, remembering an agent's choice, and saving an unknown caller as
/// a lead. A call (<c>source</c> and <c>callId</c>) can stand for its number, so a desktop that shows the number masked
/// never needs it in full; roles not cleared for all customers may name only calls offered to them.
/// </summary>
internal static class IdentificationApi
{
    /// <summary>An agent's pick for a number (or the number of a call) that matched several customers.</summary>
    public sealed record CallerChoiceInput(string? Number, Guid? CustomerId, string? AgentId, string? Source = null, string? CallId = null);

    /// <summary>A call's unknown caller, to be saved as a lead with the call's number.</summary>
    public sealed record CallerLeadInput(string? Source, string? CallId, string? DisplayName);

    public static void MapIdentification(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/identify").WithTags("Identification");

        group.MapGet("/", async Task<Results<Ok<CallerIdentification>, ProblemHttpResult>> (
                    CallerIdentifier identifier, CallRegistry calls, ClaimsPrincipal user, string? number, string? source, string? callId, CancellationToken cancellationToken,
                    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "reason")] string? reason = null) =>
            {
                _ = reason; // checked and audited by CustomerDataFilter
                if (number?.Length > 64)
                {
                    return Error.Validation("number", "must be at most 64 characters.").ToProblem();
                }
                if (callId is not null)
                {
                    var call = NumberOf(calls, user, source, callId);
                    return call.IsSuccess ? TypedResults.Ok(await identifier.IdentifyAsync(call.Value, cancellationToken)) : call.Error!.ToProblem();
                }
                return TypedResults.Ok(await identifier.IdentifyAsync(number, cancellationToken));
            })
            .WithName("IdentifyCaller").AsCustomerSearch(grants: true)
            .WithSummary("Who is calling from this number (or on this call: source and callId): anonymous, unknown, one customer, or several ranked, each with why it matched. Agents, senior agents and sales name a call offered to them, or say why they look a number up (reason, audited).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/choices", async Task<Results<NoContent, ProblemHttpResult>> (
                    CallerIdentifier identifier, CallRegistry calls, CustomerAccess access, ClaimsPrincipal user, CallerChoiceInput input, CancellationToken cancellationToken) =>
            {
                var number = input.CallId is not null ? NumberOf(calls, user, input.Source, input.CallId)
                    : input.Number is null ? Error.Validation("number", "is required.") : (Result<string>)input.Number;
                if (!number.IsSuccess)
                {
                    return number.Error!.ToProblem();
                }
                if (input.CustomerId is not { } customerId)
                {
                    return Error.Validation("customerId", "is required.").ToProblem();
                }
                if (CustomerDataFilter.ViewerOf(user) is not { } viewer || !await access.MayOpenAsync(viewer, customerId, cancellationToken))
                {
                    return Error.NotFound("customer").ToProblem();
                }
                return (await identifier.RememberAsync(number.Value, customerId, input.AgentId, cancellationToken)).ToNoContent();
            })
            .WithName("RememberCallerChoice")
            .WithSummary("Remember, for everyone, which customer a shared number (or a call's number) belongs to; it ranks first from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/leads", async Task<Results<Created<CustomerView>, ProblemHttpResult>> (
                    CustomerService customers, CallRegistry calls, ClaimsPrincipal user, CallerLeadInput input, CancellationToken cancellationToken) =>
            {
                var number = NumberOf(calls, user, input.Source, input.CallId);
                if (!number.IsSuccess)
                {
                    return number.Error!.ToProblem();
                }
                var lead = new CustomerInput
                {
                    DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? PhoneMask.Mask(number.Value) : input.DisplayName,
                    Lifecycle = LifecycleStage.Lead,
                    ContactPoints = [new ContactPointInput { Kind = ContactKind.Mobile, Value = number.Value }],
                };
                return (await customers.CreateAsync(lead, cancellationToken, mayGovern: false)).ToCreated(c => $"/api/v1/customers/{c.Id}");
            })
            .WithName("SaveCallerAsLead")
            .WithSummary("Save a call's unknown caller as a new lead with the call's number (the number itself need not be known to the desktop); named after the number, masked, when no name is given.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The customer's number on a call this caller may name: any call for roles cleared for all customers, else one ringing or answered at them.</summary>
    private static Result<string> NumberOf(CallRegistry calls, ClaimsPrincipal user, string? source, string? callId)
    {
        if (string.IsNullOrEmpty(source) || string.IsNullOrEmpty(callId))
        {
            return Error.Validation(string.IsNullOrEmpty(source) ? "source" : "callId", "is required to name a call.");
        }
        var call = calls.Find(source, callId);
        var viewer = CustomerDataFilter.ViewerOf(user);
        if (call is null || viewer is null || !CustomerAccess.MayName(call, viewer))
        {
            return Error.NotFound("call");
        }
        return call.CustomerNumber is { } number ? number : Error.Validation("callId", "the call has no caller number (anonymous).");
    }
}
