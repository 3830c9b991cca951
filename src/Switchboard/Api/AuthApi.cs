using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Security;
using Switchboard.Errors;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>A name and password to sign in with.</summary>
internal sealed record SignInInput(string? Name, string? Password);

/// <summary>Who the request is: name, role, and the credential that proved it (<c>user</c> or <c>apiKey</c>).</summary>
internal sealed record WhoAmI(string Name, string Role, string Kind);

/// <summary>Sign-in for the pages (a cookie), tokens for API users, and who the caller is: <c>/api/v1/auth</c>.</summary>
internal static class AuthApi
{
    public static void MapAuth(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/auth").WithTags("Authentication");

        group.MapPost("/sign-in", async Task<Results<NoContent, ProblemHttpResult>> (HttpContext http, IdentityStore identities, SignInInput input) =>
            {
                var who = await identities.SignInAsync(input.Name, input.Password, http.RequestAborted);
                if (!who.IsSuccess)
                {
                    return who.Error!.ToProblem();
                }
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Authentication.PrincipalOf(who.Value, CookieAuthenticationDefaults.AuthenticationScheme));
                return TypedResults.NoContent();
            })
            .WithName("SignIn").WithSummary("Sign in with a name and password; sets the pages' cookie (HttpOnly, SameSite=Strict, 8 h sliding). Five wrong passwords lock the account for 15 minutes.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/token", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (HttpContext http, IdentityStore identities, SignInInput input) =>
            {
                var who = await identities.SignInAsync(input.Name, input.Password, http.RequestAborted);
                if (!who.IsSuccess)
                {
                    return who.Error!.ToProblem();
                }
                // The bearer-token handler writes {tokenType, accessToken, expiresIn, refreshToken}.
                await http.SignInAsync(BearerTokenDefaults.AuthenticationScheme, Authentication.PrincipalOf(who.Value, BearerTokenDefaults.AuthenticationScheme));
                return TypedResults.Empty;
            })
            .WithName("IssueToken").WithSummary("A bearer token (1 h) for an API user, from a name and password; send it as `Authorization: Bearer <accessToken>`.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/sign-out", async (HttpContext http) =>
            {
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.NoContent();
            })
            .WithName("SignOut").WithSummary("Ends the pages' session (clears the cookie).");

        group.MapGet("/me", Results<Ok<WhoAmI>, ProblemHttpResult> (HttpContext http, ClaimsPrincipal user) =>
            {
                if (user.Identity?.IsAuthenticated != true)
                {
                    return new Core.Common.Error(Core.Common.ErrorKind.Unauthorized, "auth.required", "Sign in, or send a bearer token or an API key.").ToProblem();
                }
                CookieAntiforgery.IssueToken(http);
                return TypedResults.Ok(new WhoAmI(user.Identity.Name!, user.FindFirstValue(ClaimTypes.Role)!, user.FindFirstValue(Authentication.KindClaim)!));
            })
            .WithName("WhoAmI").WithSummary("Who the request is, by whichever credential it carried. A page signed in with the cookie also gets its antiforgery token (the XSRF-TOKEN cookie, to send back as X-XSRF-TOKEN on changes).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}
