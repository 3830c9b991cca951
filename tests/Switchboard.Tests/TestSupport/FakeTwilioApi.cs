using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// Twilio's REST API as far as Switchboard uses it, following its published shape: <c>POST
/// /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c> with HTTP Basic auth (AccountSid, Auth Token) and a
/// form body (<c>Twiml</c>); 200 with the call resource, 401 with Twilio's error body for bad credentials, 404 (code
/// 20404) for a call it does not know. Live calls are the ones the test declares.
/// </summary>
public sealed class FakeTwilioApi(string accountSid, string authToken) : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Call updates received: (CallSid, TwiML).</summary>
    public ConcurrentQueue<(string CallSid, string Twiml)> Updates { get; } = new();

    /// <summary>Calls Twilio has live; updates to others get 404.</summary>
    public ConcurrentDictionary<string, bool> LiveCalls { get; } = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = "";

    public async Task<FakeTwilioApi> StartAsync()
    {
        (_app, BaseUrl) = await Loopback.StartAsync(app => app.MapPost("/2010-04-01/Accounts/{account}/Calls/{sid}.json", async (HttpRequest request, string account, string sid) =>
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}"));
            if (account != accountSid || request.Headers.Authorization.ToString() != expected)
            {
                return Results.Json(new { code = 20003, message = "Authenticate", more_info = "https://www.twilio.com/docs/errors/20003", status = 401 }, statusCode: 401);
            }
            var sidOnly = sid.EndsWith(".json", StringComparison.Ordinal) ? sid[..^5] : sid;
            if (!LiveCalls.ContainsKey(sidOnly))
            {
                return Results.Json(new { code = 20404, message = $"The requested resource /2010-04-01/Accounts/{account}/Calls/{sidOnly}.json was not found",
                    more_info = "https://www.twilio.com/docs/errors/20404", status = 404 }, statusCode: 404);
            }
            var form = await request.ReadFormAsync();
            Updates.Enqueue((sidOnly, form["Twiml"].ToString()));
            return Results.Json(new { sid = sidOnly, account_sid = account, status = "in-progress", api_version = "2010-04-01",
                uri = $"/2010-04-01/Accounts/{account}/Calls/{sidOnly}.json" });
        }));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
