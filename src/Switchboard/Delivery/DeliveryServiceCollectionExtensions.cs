using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Switchboard.Delivery;

/// <summary>Outbound delivery: the outbox pump, the sender to webhooks and connectors, failover, and resilience (docs/delivery.md).</summary>
internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddSwitchboardDelivery(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration("Outbox").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DestinationSender>();
        services.AddSingleton<DeliveryChannels>();
        services.AddSingleton<OutboxPump>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxPump>());
        // One pipeline per endpoint (scheme, host and port), so a primary and its backup have their own circuits:
        // 1. a short retry for rate limits only — 429/503 whose Retry-After is at most 2 s, and Salesforce's 403
        //    REQUEST_LIMIT_EXCEEDED (its per-org concurrency limit clears in moments) — twice, honouring Retry-After;
        //    longer waits and every other failure go back to the outbox, whose retries are persisted and backed off;
        // 2. a circuit breaker tuned for low volume — by default open when half of at least 20 calls in 30 s failed
        //    (5xx, 408, timeouts, refused connections; not rate limits), for 30 s; its open state is what fails over;
        // 3. a timeout per attempt (10 s).
        services.AddHttpClient(DestinationSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("destinations", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(250), BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = async args => args.Outcome.Result is { } response && (
                        (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                            && RateLimits.RetryAfter(response, time.GetUtcNow()) is var wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(2))
                        || await RateLimits.IsRequestLimitExceededAsync(response, args.Context.CancellationToken)),
                });
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.BreakerFailureRatio, MinimumThroughput = options.BreakerMinimumThroughput,
                    SamplingDuration = TimeSpan.FromSeconds(options.BreakerSamplingSeconds), BreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                    {
                        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
                        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
                        _ => false,
                    }),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
            })
            .SelectPipelineByAuthority();
        return services;
    }
}
