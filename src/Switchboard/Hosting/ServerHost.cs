using Switchboard.Api;
using Switchboard.Core;
using Switchboard.Data;
using Switchboard.Soap;

namespace Switchboard.Hosting;

/// <summary>The web host's composition root: the table of contents of a running Switchboard.</summary>
internal static class ServerHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        // Hosting's Information lines carry the request URL, and look-up URLs carry phone numbers (?phone=...).
        // Registered after configuration, this rule wins even when an operator turns Microsoft.AspNetCore up.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddSwitchboardOptions();          // Telephony, Storage, Api settings, validated at start
        builder.Services.AddSwitchboardObservability();    // metrics, health
        builder.Services.AddSwitchboardCore();             // features and engines
        builder.Services.AddSwitchboardPersistence();      // SQLite or PostgreSQL
        builder.Services.AddSwitchboardServer();           // JSON, ProblemDetails, OpenAPI, startup migration
        builder.Services.AddSwitchboardSoap();             // the SOAP face for legacy systems

        var app = builder.Build();
        app.UseSwitchboardPipeline();                      // errors, body limit, health, metrics, docs
        app.MapSwitchboardApi();                           // REST under /api/v1
        app.MapSwitchboardSoap();                          // SOAP at /soap/v1 (WSDL: ?wsdl)
        return app;
    }
}
