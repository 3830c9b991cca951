// This file is compiled into the test project (plain SDK: no ASP.NET Core implicit usings) and linked into the
// benchmark project (Web SDK: several of these are global usings there, which IDE0005 would flag as unnecessary).
#pragma warning disable IDE0005
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
#pragma warning restore IDE0005

namespace Switchboard.Fakes;

/// <summary>
/// What the local CRMs share: the clock that stamps their records, the one token they accept, the refusals a test
/// arms (<see cref="FailNext"/>, <see cref="FailAfter"/>), the count of requests, the ids of the writes served, and
/// starting on a free loopback port. Each vendor's routes and answers are its own (<see cref="FakeSalesforce"/>,
/// <see cref="FakeHubSpot"/>).
/// </summary>
public abstract class FakeCrm
{
    private int _failNext;
    private int _failAfter = -1;
    private int _requests;

    /// <summary>Guards the records, and <see cref="UpsertedValues"/>.</summary>
    protected Lock Gate { get; } = new();

    /// <summary>The ids (ours, or the CRM's) of the writes served, in arrival order; add under <see cref="Gate"/>.</summary>
    protected List<string> UpsertedValues { get; } = [];

    /// <summary>The CRM's clock: stamps modification times (truncated to milliseconds).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => TimeProvider.System.GetUtcNow();

    /// <summary>The only access token the API accepts (<c>Authorization: Bearer …</c>).</summary>
    public string Token { get; set; } = "test-token";

    /// <summary>How many of the next API requests (any route) are refused instead of served.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>Serves <paramref name="served"/> more requests, then refuses every one until called with null.</summary>
    public void FailAfter(int? served) => Volatile.Write(ref _failAfter, served ?? -1);

    /// <summary>Every request that reached one of the fake's routes, served or refused.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The ids of the writes served, in arrival order.</summary>
    public IReadOnlyList<string> Upserted
    {
        get
        {
            lock (Gate)
            {
                return UpsertedValues.ToArray();
            }
        }
    }

    /// <summary>Maps the vendor's routes.</summary>
    public abstract void Map(IEndpointRouteBuilder app);

    /// <summary>Starts <paramref name="fake"/> on a free loopback port; returns the app (stop and dispose it) and its base address.</summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(FakeCrm fake)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        fake.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address);
    }

    /// <summary>Counts a request; true when an armed refusal takes it (<see cref="FailNext"/>, or <see cref="FailAfter"/> used up).</summary>
    protected bool CountAndTakeFailure()
    {
        Interlocked.Increment(ref _requests);
        return Take(ref _failNext) || UsedUp();
    }

    private static bool Take(ref int left)
    {
        while (true)
        {
            var now = Volatile.Read(ref left);
            if (now <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref left, now - 1, now) == now)
            {
                return true;
            }
        }
    }

    private bool UsedUp()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failAfter);
            if (left <= 0)
            {
                return left == 0;
            }
            if (Interlocked.CompareExchange(ref _failAfter, left - 1, left) == left)
            {
                return false;
            }
        }
    }
}
