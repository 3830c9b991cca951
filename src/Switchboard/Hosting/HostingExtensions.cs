using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;
using Switchboard.CallControl;
using Switchboard.Core.Demo;
using Switchboard.Core.Diagnostics;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Forecasting;
using Switchboard.Sync;
using Switchboard.Core.Identification;
using Switchboard.Data;
using Switchboard.Delivery;
using Switchboard.Errors;
using Switchboard.Realtime;
using Switchboard.Security;

namespace Switchboard.Hosting;

/// <summary>One extension per concern of the web host (STYLE H6); <see cref="ServerHost"/> reads like a table of contents.</summary>
internal static class HostingExtensions
{
    /// <summary>Host settings, bound from configuration and validated at start: a misconfigured server refuses to start.</summary>
    public static IServiceCollection AddSwitchboardOptions(this IServiceCollection services)
    {
        services.AddOptions<TelephonyOptions>().BindConfiguration("Telephony").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration("Api").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForecastingOptions>().BindConfiguration("Forecasting").ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Forecasting:TimeZone is not a time zone this machine knows (an IANA id such as Asia/Shanghai).")
            .Validate(o => string.CompareOrdinal(o.Opens, o.Closes) < 0, "Forecasting:Opens must be before Forecasting:Closes.").ValidateOnStart();
        services.AddOptions<ScreenPopOptions>().BindConfiguration("ScreenPop").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentificationOptions>().BindConfiguration("Identification").ValidateDataAnnotations()
            .Validate(o => o.LastDigits is 0 or >= 6, "Identification:LastDigits is 0 (off) or at least 6.").ValidateOnStart();
        services.AddOptions<DemoCallOptions>().BindConfiguration("Demo").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CallsOptions>().BindConfiguration("Calls").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Core.WrapUp.WrapUpOptions>().BindConfiguration("WrapUp").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Core.WrapUp.SummarizerOptions>().BindConfiguration("WrapUp:Summarizer").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Core.FollowUp.FollowUpOptions>().BindConfiguration("FollowUp")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "FollowUp:TimeZone names no time zone this machine knows.").ValidateOnStart();
        services.AddOptions<Core.Speech.SpeechOptions>().BindConfiguration("Speech")
            .Validate(o => string.IsNullOrWhiteSpace(o.WhisperModel) || File.Exists(o.WhisperModel), "Speech:WhisperModel names no file (a whisper.cpp ggml model).")
            .Validate(o => o.WhisperThreads is >= 1 and <= 64, "Speech:WhisperThreads is 1 to 64.").ValidateOnStart();
        services.AddOptions<Core.Knowledge.KnowledgeOptions>().BindConfiguration("Knowledge")
            .Validate(o => o.TopicSimilarity is > 0 and <= 1 && o.MinQuestions >= 1 && o.WindowDays >= 1 && o.LearnEveryMinutes >= 0,
                "Knowledge: TopicSimilarity is in (0, 1], MinQuestions and WindowDays at least 1, LearnEveryMinutes 0 (off) or more.").ValidateOnStart();
        services.AddOptions<Core.Audit.AuditOptions>().BindConfiguration("Audit").ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<Microsoft.Extensions.Options.IOptions<StorageOptions>>((audit, storage) =>
                audit.KeyFile ??= Path.Combine(storage.Value.DataDirectory, "audit.key"));
        services.AddOptions<StorageOptions>().BindConfiguration("Storage")
            .Configure<IConfiguration>((storage, configuration) =>
                storage.ConnectionString ??= configuration.GetConnectionString("Switchboard"))
            .ValidateDataAnnotations()
            .Validate(s => s.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(s.ConnectionString),
                "Storage:Provider is Postgres, so ConnectionStrings:Switchboard is required.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Metrics in Prometheus format at /metrics: ASP.NET Core, HttpClient, runtime and the Switchboard meter.</summary>
    public static IServiceCollection AddSwitchboardObservability(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(SwitchboardTelemetry.MeterName)
            .AddPrometheusExporter());
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        services.AddLogRedaction();
        return services;
    }

    /// <summary>JSON, ProblemDetails, OpenAPI.</summary>
    public static IServiceCollection AddSwitchboardServer(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(options => Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context => Problems.Enrich(context.ProblemDetails, context.HttpContext));
        services.AddExceptionHandler<ExceptionProblemHandler>();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Switchboard API";
            document.Info.Description = "The CRM replica and call-center integration API. Errors are RFC 9457 problem details with a stable `code`.";
            return Task.CompletedTask;
        }));
        services.AddHostedService<StartupMigration>();
        services.AddHostedService<CallJournalWriter>();     // after the migration: hosted services start in order
        services.AddHostedService<PopReadRecoveryService>(); // pop reads a crash lost, back from the journal
        services.AddSwitchboardAuthentication();
        services.AddSignalR().AddJsonProtocol(options => Configure(options.PayloadSerializerOptions));
        services.AddSingleton<IAgentNotifier, SignalRAgentNotifier>();
        services.AddSingleton<Core.Speech.ISpeechNotifier, SignalRSpeechNotifier>();
        services.AddSingleton<ConnectedAgents>();
        services.AddSingleton<IConnectedAgents>(sp => sp.GetRequiredService<ConnectedAgents>());
        services.AddHostedService<CallReactionsWorker>();
        services.AddHostedService<KnowledgeWorker>();      // the knowledge base's index and its learning from calls
        services.AddSingleton<AsteriskConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<AsteriskConnections>());
        services.AddHostedService<RoutingClock>();
        services.AddTransient<TwilioApiBaseAddress>();
        services.AddHttpClient(TwilioCallControl.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .AddHttpMessageHandler<TwilioApiBaseAddress>();
        services.AddSingleton<TwilioCallControl>();
        services.AddHostedService<OfferDelivery>();         // routing's later offers, to the platform each call came from
        services.AddSwitchboardDelivery();                  // the outbox to webhooks and connectors (docs/delivery.md)
        services.AddSwitchboardSync();                      // two-way sync with CRMs: pullers (docs/sync.md)
        // A chat model drafts wrap-up summaries when WrapUp:Summarizer:Endpoint names an OpenAI-compatible API (docs/wrap-up.md);
        // without one there is no IChatClient and the extractive summariser drafts them.
        services.TryAddSingleton<Microsoft.Extensions.AI.IChatClient>(sp =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.WrapUp.SummarizerOptions>>().Value is { Endpoint: { } endpoint } chat
                ? new OpenAI.Chat.ChatClient(chat.Model, new System.ClientModel.ApiKeyCredential(chat.ApiKey ?? "none"), new OpenAI.OpenAIClientOptions { Endpoint = endpoint })
                    .AsIChatClient()
                : null!);
        return services;
    }

    /// <summary>The wire format: camelCase names, enums as camelCase strings (never numbers), nulls omitted.</summary>
    public static void Configure(JsonSerializerOptions options) => Core.Common.WireJson.Configure(options);

    /// <summary>Errors, body limits, health, metrics and the API description, in pipeline order.</summary>
    public static WebApplication UseSwitchboardPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();                              // the agent desktop (wwwroot/desktop)
        app.UseAuthentication();                           // who: API key, bearer token or sign-in cookie
        app.UseCookieAntiforgery();                        // the pages' changes carry their session's token
        app.UseAuthorization();
        app.MapGet("/", () => TypedResults.Redirect("/desktop/")).ExcludeFromDescription().AllowAnonymous();

        // Open by design: probes and scrapers carry no credentials, and none of these carry customer data.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        // Stateful reconnect: a pop sent while a desktop's connection blips is replayed when it comes back.
        app.MapHub<AgentHub>("/hubs/agent", options => options.AllowStatefulReconnects = true);
        app.MapHub<SupervisorHub>("/hubs/supervisor");
        return app;
    }
}
