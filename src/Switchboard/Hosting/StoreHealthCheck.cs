using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Data;

namespace Switchboard.Hosting;

/// <summary>Ready means the store answers.</summary>
internal sealed class StoreHealthCheck(DatabaseMigrator store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The store answers.")
                : HealthCheckResult.Unhealthy("The store does not answer.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The store failed: " + e.GetType().Name);
        }
    }
}
