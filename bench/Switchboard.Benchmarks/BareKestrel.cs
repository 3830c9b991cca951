namespace Switchboard.Benchmarks;

/// <summary>The floor: Kestrel alone, answering every GET with a fixed JSON body the size of a one-customer page.</summary>
internal static class BareKestrel
{
    public static async Task<int> RunAsync(string urls)
    {
        var body = System.Text.Encoding.UTF8.GetBytes("{\"items\":[" + new string('x', 1000).Replace("x", "{\"a\":1}", StringComparison.Ordinal)[..1200] + "],\"nextCursor\":null}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapGet("/{**path}", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body);
        });
        await app.RunAsync();
        return 0;
    }
}
