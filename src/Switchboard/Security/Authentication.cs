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
/// request, so endpoints name one scheme. Who may do what is <see cref="Access"/>.
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
                context.Request.Headers[ApiKeyAuthentication.Header].ToString().StartsWith(ApiKeyAuthentication.Prefix, StringComparison.Ordinal)
                || context.Request.Headers.Authorization.ToString().StartsWith("Bearer " + ApiKeyAuthentication.Prefix, StringComparison.Ordinal) ? ApiKeyScheme
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
        services.AddOptions<SecurityOptions>().BindConfiguration("Security").ValidateDataAnnotations().ValidateOnStart();
        services.AddSwitchboardAuthorization();
        services.AddCookieAntiforgery();
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

/// <summary>Settings under <c>Security</c>.</summary>
internal sealed class SecurityOptions
{
    /// <summary>
    /// An admin key given by configuration (a secret store, an environment variable), for first-run automation and
    /// tests: accepted like a stored key of role Admin named <c>bootstrap</c>. <c>sbk_</c> and at least 28 more
    /// characters; leave it unset once real keys exist.
    /// </summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^sbk_.{28,}$", ErrorMessage = "Security:BootstrapAdminKey must start with sbk_ and have at least 28 more characters.")]
    public string? BootstrapAdminKey { get; set; }
}

/// <summary>Checks an API key against the identity store (its SHA-256); an unknown, revoked or expired key fails.</summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IdentityStore identities, IOptions<SecurityOptions> security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Header = "X-Api-Key";

    /// <summary>Switchboard's keys start so; other values of <c>X-Api-Key</c> (a telephony source's token) are not ours to judge.</summary>
    public const string Prefix = "sbk_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[Header].ToString();
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            key = Request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer " + Prefix, StringComparison.Ordinal)
                ? authorization["Bearer ".Length..].Trim() : "";
        }
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (security.Value.BootstrapAdminKey is { } bootstrap && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bootstrap))))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(Authentication.PrincipalOf(new Principal("bootstrap", Role.Admin, "apiKey"), Scheme.Name), Scheme.Name));
        }
        return await identities.AuthenticateKeyAsync(key, Context.RequestAborted) is { } who
            ? AuthenticateResult.Success(new AuthenticationTicket(Authentication.PrincipalOf(who, Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
    }
}
