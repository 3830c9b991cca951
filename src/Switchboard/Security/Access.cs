using Microsoft.AspNetCore.Authorization;
using Switchboard.Core.Security;

namespace Switchboard.Security;

/// <summary>
/// Who may call what, in one table (docs/security.md prints it): each REST route, by method and path, gets one
/// policy, or is open because it proves the caller itself (telephony webhooks, sign-in). The table is applied to
/// every endpoint of <c>/api/v1</c> as a convention; an endpoint the table does not cover fails to start the
/// server, and a test checks every endpoint has a policy. Anything outside <c>/api/v1</c> (hubs) needs at least a
/// signed-in caller (the fallback policy) unless it says otherwise.
/// </summary>
internal static class Access
{
    public const string CrmRead = "crm.read";
    public const string CrmWrite = "crm.write";
    public const string TelephonyAdmin = "telephony.admin";
    public const string RoutingView = "routing.view";
    public const string RoutingOperate = "routing.operate";
    public const string RoutingAdmin = "routing.admin";
    public const string Planning = "planning";
    public const string Supervise = "supervise";
    public const string Audit = "audit";
    public const string Desk = "desk";
    public const string Integrations = "integrations";
    public const string DeliveryHealth = "delivery.health";
    public const string Transcribe = "transcribe";
    public const string Steward = "steward";
    public const string SpeechAdmin = "speech.admin";
    public const string KnowledgeAdmin = "knowledge.admin";

    /// <summary>The roles of each policy.</summary>
    public static readonly IReadOnlyDictionary<string, Role[]> Roles = new Dictionary<string, Role[]>
    {
        [CrmRead] = [Role.Agent, Role.SeniorAgent, Role.Sales, Role.Supervisor, Role.Manager, Role.Admin, Role.Integration],
        [CrmWrite] = [Role.Agent, Role.SeniorAgent, Role.Sales, Role.Supervisor, Role.Manager, Role.Admin, Role.Integration],
        [TelephonyAdmin] = [Role.Admin],
        [RoutingView] = [Role.Supervisor, Role.Manager, Role.Admin, Role.Integration],
        [RoutingOperate] = [Role.Supervisor, Role.Admin, Role.Integration],
        [RoutingAdmin] = [Role.Supervisor, Role.Admin],
        [Planning] = [Role.Supervisor, Role.Manager, Role.Admin],
        [Supervise] = [Role.Supervisor, Role.Manager, Role.Admin],
        [Audit] = [Role.Auditor, Role.Admin],
        [Integrations] = [Role.Admin, Role.Integration],
        [DeliveryHealth] = [Role.Supervisor, Role.Manager, Role.Admin, Role.Integration],
        [Transcribe] = [Role.Admin, Role.Integration],
        [Steward] = [Role.Manager, Role.Admin],
        [SpeechAdmin] = [Role.Supervisor, Role.Manager, Role.Admin],
        [KnowledgeAdmin] = [Role.SeniorAgent, Role.Supervisor, Role.Manager, Role.Admin],
        [Desk] = [Role.Agent, Role.SeniorAgent, Role.Sales, Role.Supervisor, Role.Manager, Role.Admin, Role.Integration],
    };

    /// <summary>Method ("*" any), path prefix under /api/v1, policy (null: open, the endpoint proves its caller). First match wins.</summary>
    public static readonly (string Method, string Prefix, string? Policy)[] Table =
    [
        ("*", "/auth/", null),
        ("POST", "/cti/", null),
        ("POST", "/telephony/events", null),
        ("POST", "/telephony/twilio/", null),
        ("*", "/telephony/sources", TelephonyAdmin),
        ("GET", "/audit", Audit),
        ("*", "/webhooks", Integrations),
        ("*", "/connectors", Integrations),
        ("*", "/mappings", Integrations),
        ("*", "/sync/", Integrations),
        ("*", "/dedup/", Steward),
        ("GET", "/delivery/", DeliveryHealth),
        ("POST", "/calls/*/*/transcript", Transcribe),
        ("POST", "/calls/*/*/audio", Transcribe),
        ("GET", "/calls/*/*/transcript", CrmRead),
        ("*", "/calls/*/*/wrap-up", Desk),
        ("GET", "/calls/*/*/speech", CrmRead),
        ("*", "/speech/rules", SpeechAdmin),
        ("POST", "/speech/firings/", Desk),
        ("GET", "/speech/report", Supervise),
        ("GET", "/knowledge/topics", Supervise),
        ("POST", "/knowledge/topics/learn", KnowledgeAdmin),
        ("POST", "/knowledge/articles/*/feedback", Desk),
        ("GET", "/knowledge/", Desk),
        ("*", "/knowledge/articles", KnowledgeAdmin),
        ("GET", "/follow-up/", Supervise),
        ("PUT", "/follow-up/", RoutingAdmin),
        ("PUT", "/routing/configuration", RoutingAdmin),
        ("POST", "/routing/", RoutingOperate),
        ("GET", "/routing/", RoutingView),
        ("GET", "/agents/", Supervise),
        ("*", "/staffing/", Planning),
        ("*", "/forecasts", Planning),
        ("GET", "/customers", CrmRead),
        ("GET", "/identify", CrmRead),
        ("GET", "/contact-points/", CrmRead),
        ("GET", "/orders/", CrmRead),
        ("GET", "/tickets/", CrmRead),
        ("GET", "/opportunities/", CrmRead),
        ("GET", "/tasks/", CrmRead),
        ("GET", "/interactions/", CrmRead),
        ("*", "/customers", CrmWrite),
        ("*", "/identify", CrmWrite),
        ("*", "/contact-points/", CrmWrite),
        ("*", "/orders/", CrmWrite),
        ("*", "/tickets/", CrmWrite),
        ("*", "/opportunities/", CrmWrite),
        ("*", "/tasks/", CrmWrite),
        ("*", "/interactions/", CrmWrite),
    ];

    public static IServiceCollection AddSwitchboardAuthorization(this IServiceCollection services)
    {
        var builder = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Authentication.Scheme).RequireAuthenticatedUser().Build());
        foreach (var (name, roles) in Roles)
        {
            builder.AddPolicy(name, policy => policy.AddAuthenticationSchemes(Authentication.Scheme).RequireAuthenticatedUser()
                .RequireRole(roles.Select(r => r.ToString())));
        }
        return services;
    }

    /// <summary>The policy of a route (its pattern after <c>/api/v1</c>), or null for open; throws for a route the table misses.</summary>
    public static string? PolicyFor(string method, string route)
    {
        foreach (var (m, prefix, policy) in Table)
        {
            if ((m == "*" || m == method) && Matches(route, prefix))
            {
                return policy;
            }
        }
        throw new InvalidOperationException($"{method} /api/v1{route} has no access policy: add it to Security/Access.cs (and docs/security.md).");
    }

    /// <summary>Whether the route starts with the prefix, a <c>*</c> in the prefix standing for one path segment.</summary>
    private static bool Matches(string route, string prefix)
    {
        var routeSegments = (route + "/").Split('/');
        var prefixSegments = prefix.Split('/');
        if (prefixSegments.Length > routeSegments.Length)
        {
            return false;
        }
        for (var i = 0; i < prefixSegments.Length; i++)
        {
            var last = i == prefixSegments.Length - 1;
            if (prefixSegments[i] == "*" ? routeSegments[i].Length == 0
                : last ? !routeSegments[i].StartsWith(prefixSegments[i], StringComparison.Ordinal) : routeSegments[i] != prefixSegments[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Gives every endpoint of the group its policy from the table.</summary>
    public static RouteGroupBuilder WithAccessPolicies(this RouteGroupBuilder v1)
    {
        ((IEndpointConventionBuilder)v1).Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route)
            {
                return;
            }
            var pattern = "/" + (route.RoutePattern.RawText ?? "").Trim('/');
            var relative = pattern.StartsWith("/api/v1", StringComparison.Ordinal) ? pattern["/api/v1".Length..] : pattern;
            var method = endpoint.Metadata.OfType<HttpMethodMetadata>().FirstOrDefault()?.HttpMethods is [var first, ..] ? first : "GET";
            endpoint.Metadata.Add(PolicyFor(method, relative) is { } policy ? new AuthorizeAttribute(policy) : new AllowAnonymousAttribute());
        });
        return v1;
    }
}
