using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Switchboard.Delivery;

/// <summary>Outbound delivery: the outbox pump, the webhook sender and its resilience (docs/delivery.md).</summary>
internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddSwitchboardDelivery(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration("Outbox").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<OutboxPump>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxPump>());
        // One pipeline per receiver (scheme, host and port): a 10 s timeout per attempt, and a circuit breaker tuned for
        // low volume — by default open when half of at least 20 calls in 30 s failed, for 30 s. Retries are the outbox's own
        // (persisted, with backoff), so the client does not retry.
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("webhooks", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxOptions>>().Value;
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.BreakerFailureRatio, MinimumThroughput = options.BreakerMinimumThroughput,
                    SamplingDuration = TimeSpan.FromSeconds(options.BreakerSamplingSeconds), BreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
                });
            })
            .SelectPipelineByAuthority();
        return services;
    }
}
