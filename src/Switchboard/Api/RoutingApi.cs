using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Agents;
using Switchboard.Core.Routing;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>REST for routing: the versioned rules document, the decision for a call, and the live calls and agents.</summary>
internal static class RoutingApi
{
    /// <summary>An agent's chosen status.</summary>
    public sealed record PresenceInput(RoutingAgentStatus? Status);

    /// <summary>Who answered.</summary>
    public sealed record AnswerInput(string? AgentId);

    public static void MapRouting(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/routing").WithTags("Routing");

        group.MapGet("/configuration", async Task<Results<Ok<RoutingConfigurationView>, ProblemHttpResult>> (
                    RoutingService routing, HttpResponse response, CancellationToken cancellationToken) =>
                {
                    var result = await routing.GetAsync(cancellationToken);
                    if (result.IsSuccess)
                    {
                        response.Headers.ETag = $"\"{result.Value.Version}\"";
                    }
                    return result.ToOk();
                })
            .WithName("GetRoutingConfiguration").WithSummary("The current routing configuration and its version (the ETag).");

        group.MapPut("/configuration", async Task<Results<Ok<RoutingConfigurationView>, ProblemHttpResult>> (
                    RoutingService routing, RoutingConfigurationDocument document, HttpRequest request, CancellationToken cancellationToken) =>
                {
                    return (await routing.SaveAsync(document, Versions.IntFromIfMatch(request), cancellationToken)).ToOk();
                })
            .WithName("SaveRoutingConfiguration")
            .WithSummary("Validate and keep a new version of the routing configuration (groups, agents and skills, rules, strategy, timers); every problem is named. If-Match makes it conditional.");

        group.MapPost("/decide", async Task<Results<Ok<RoutingAnswer>, ProblemHttpResult>> (
                    RoutingService routing, RoutingRequest request, CancellationToken cancellationToken) =>
                (await routing.DecideAsync(request, cancellationToken)).ToOk())
            .WithName("DecideRouting")
            .WithSummary("Route a call: the caller's CRM facts from the replica, the first rule that holds, the queue, priority and target, and the agent offered if one is free.");

        group.MapGet("/calls", (RoutingService routing) => TypedResults.Ok(routing.Calls())).WithName("ListRoutedCalls")
            .WithSummary("Calls waiting, ringing and connected, with each decision and offer.");
        group.MapGet("/calls/{callId}", Results<Ok<RoutedCall>, ProblemHttpResult> (RoutingService routing, string callId) => routing.Find(callId).ToOk())
            .WithName("GetRoutedCall").WithSummary("A call's routing record: the rule that matched and why, each offer and why that agent.");
        group.MapPost("/calls/{callId}/answer", async Task<Results<Ok<AnswerResult>, ProblemHttpResult>> (
                    RoutingService routing, string callId, AnswerInput input, CancellationToken cancellationToken) =>
                input.AgentId is null ? Core.Common.Error.Validation("agentId", "is required.").ToProblem() : (await routing.AnswerAsync(callId, input.AgentId, cancellationToken)).ToOk())
            .WithName("AnswerRoutedCall").WithSummary("The agent answered; false when the call no longer rings there.");
        group.MapPost("/calls/{callId}/end", async Task<Results<Ok<Offer[]>, ProblemHttpResult>> (RoutingService routing, string callId, CancellationToken cancellationToken) =>
                (await routing.EndAsync(callId, cancellationToken)).ToOk())
            .WithName("EndRoutedCall").WithSummary("The call ended; its agent goes to wrap-up or takes the next call (the offers made are returned).");
        group.MapGet("/agents", (RoutingService routing) => TypedResults.Ok(routing.Agents())).WithName("ListRoutingAgents")
            .WithSummary("Every configured agent's routing status (available, ringing, busy, wrap-up, away, offline) and since when.");
        group.MapPost("/agents/{agentId}/presence", async Task<Results<Ok<Offer[]>, ProblemHttpResult>> (
                    RoutingService routing, AgentPresenceStore presences, TimeProvider time, string agentId, PresenceInput input, CancellationToken cancellationToken) =>
                {
                    if (input.Status is not { } status)
                    {
                        return Core.Common.Error.Validation("status", "is required.").ToProblem();
                    }
                    await routing.ReadyAsync(cancellationToken);
                    var offers = routing.SetPresence(agentId, status);
                    if (offers.IsSuccess)
                    {
                        // Kept, so that a restart of the server restores what the system managing this agent said.
                        await presences.SaveAsync(new AgentPresence(agentId, status.ForPresence(), time.GetUtcNow().UtcDateTime), AgentPresenceStore.Api, cancellationToken);
                    }
                    return offers.ToOk();
                })
            .WithName("SetRoutingPresence")
            .WithSummary("The agent is available, away or offline (the offers made are returned). Kept across restarts of the server.");
    }
}
