using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Switchboard.Errors;

namespace Switchboard.Security;

/// <summary>
/// Antiforgery for the pages (docs/security.md): a request that the sign-in cookie authenticates and that changes
/// something (POST, PUT, PATCH, DELETE under <c>/api/v1</c>) must carry this session's antiforgery token in
/// <c>X-XSRF-TOKEN</c>, or it is refused with 400 <c>antiforgery.invalid</c> and nothing is done. The token is handed
/// to the page by <c>GET /api/v1/auth/me</c> in the <c>XSRF-TOKEN</c> cookie, which scripts may read and other sites
/// cannot; <c>/lib/csrf.js</c> adds it to every such request a page makes. API keys and bearer tokens are not sent by
/// browsers on their own, so their requests need none. The SameSite=Strict cookie is the first fence, this the second.
/// </summary>
internal static class CookieAntiforgery
{
    public const string Header = "X-XSRF-TOKEN";
    public const string TokenCookie = "XSRF-TOKEN";

    public static IServiceCollection AddCookieAntiforgery(this IServiceCollection services) =>
        services.AddAntiforgery(options =>
        {
            options.HeaderName = Header;
            options.Cookie.Name = "switchboard.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });

    /// <summary>Refuses cookie-authenticated changes without the session's token. After authentication, before the endpoints.</summary>
    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsCookieWrite(context) && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await new Core.Common.Error(Core.Common.ErrorKind.Validation, "antiforgery.invalid",
                    "The page's session token (X-XSRF-TOKEN) is missing or wrong: reload the page; it is read from GET /api/v1/auth/me.")
                .ToProblem().ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>Gives a page signed in with the cookie its token (an HttpOnly cookie half, and the half scripts send back).</summary>
    public static void IssueToken(HttpContext context)
    {
        if (context.User.Identity?.AuthenticationType != CookieAuthenticationDefaults.AuthenticationScheme)
        {
            return;
        }
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        context.Response.Cookies.Append(TokenCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/",
        });
    }

    private static bool IsCookieWrite(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
        && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        && context.Request.Path.StartsWithSegments("/api/v1")
        // Signing in proves the person by their password; a page that signs in again has no token for the new session yet.
        && !context.Request.Path.StartsWithSegments("/api/v1/auth/sign-in") && !context.Request.Path.StartsWithSegments("/api/v1/auth/token");
}
