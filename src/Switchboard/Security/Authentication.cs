using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Switchboard.Core.Security;

namespace Switchboard.Security;

/// <summary>
/// Who a request is, on every face, by one of three credentials: an API key (<c>X-Api-Key</c>, or
/// <c>Authorization: Bearer sbk_…</c>) for systems; a bearer token from <c>POST /api/v1/auth/token</c> for API users;
/// the sign-in cookie (<c>POST /api/v1/auth/sign-in</c>) for the pages. A policy scheme picks the handler from the
/// request, so endpoints name one scheme. Authorization (who may do what) is the next step of issue 5.
/// </summary>
internal static class Authentication
{
    public const string Scheme = "Switchboard";
    public const string ApiKeyScheme = "ApiKey";
    public const string KindClaim = "switchboard:kind";

    public static IServiceCollection AddSwitchboardAuthentication(this IServiceCollection services)
    {
        // Cookies and bearer tokens are protected with keys kept in the store: they survive restarts and every node agrees.
        services.AddSingleton<StoreXmlRepository>();
        services.AddDataProtection().SetApplicationName("switchboard");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<StoreXmlRepository>((options, repository) => options.XmlRepository = repository);
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Switchboard", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthentication.Header)
                || context.Request.Headers.Authorization.ToString().StartsWith("Bearer sbk_", StringComparison.Ordinal) ? ApiKeyScheme
                : context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? BearerTokenDefaults.AuthenticationScheme
                : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyScheme, null)
            .AddBearerToken(BearerTokenDefaults.AuthenticationScheme, options =>
            {
                options.BearerTokenExpiration = TimeSpan.FromHours(1);
                options.RefreshTokenExpiration = TimeSpan.FromHours(8);
            })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
            {
                options.Cookie.Name = "switchboard.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict; // not sent on requests other sites start
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // An API answers 401/403; it never redirects to a sign-in page.
                options.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorization();
        return services;
    }

    /// <summary>The claims of a principal, the same whichever credential proved it.</summary>
    public static ClaimsPrincipal PrincipalOf(Principal who, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, who.Name), new Claim(ClaimTypes.Role, who.Role.ToString()), new Claim(KindClaim, who.Kind)],
            scheme, ClaimTypes.Name, ClaimTypes.Role));

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}

/// <summary>Checks an API key against the identity store (its SHA-256); an unknown, revoked or expired key fails.</summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IdentityStore identities)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[Header].ToString();
        if (key.Length == 0 && Request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            key = authorization["Bearer ".Length..].Trim();
        }
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        return await identities.AuthenticateKeyAsync(key, Context.RequestAborted) is { } who
            ? AuthenticateResult.Success(new AuthenticationTicket(Authentication.PrincipalOf(who, Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
    }
}
