using Microsoft.Extensions.Options;
using Switchboard.Core.Audit;

namespace Switchboard.Hosting;

/// <summary>At start, once the store is migrated: puts back the pop reads a crash may have lost (<see cref="PopReadRecovery"/>).</summary>
internal sealed partial class PopReadRecoveryService(PopReadRecovery recovery, IOptions<AuditOptions> options, ILogger<PopReadRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var recovered = await recovery.RecoverAsync(TimeSpan.FromSeconds(options.Value.RecoverPopReadsSeconds), stoppingToken);
            if (recovered > 0)
            {
                Log.Recovered(logger, recovered);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Failed(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "{Count} screen-pop reads lost in a crash were put back in the audit trail from the call journal")]
        public static partial void Recovered(ILogger logger, int count);

        [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Recovering screen-pop reads from the call journal failed")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
