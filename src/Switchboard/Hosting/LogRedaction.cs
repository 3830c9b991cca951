using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Options;
using Switchboard.Core.Audit;
using Switchboard.Core.Diagnostics;

namespace Switchboard.Hosting;

/// <summary>
/// Personal data in logs (a parameter marked <see cref="PersonalDataAttribute"/>) is replaced with an HMAC-SHA256 of
/// it before any sink sees it (Microsoft.Extensions.Compliance.Redaction). The HMAC key is derived from the audit key,
/// which lives outside the database: the same person hashes alike in every line and on every node, and the logs alone
/// cannot be searched for a known name or number without that key.
/// </summary>
internal static class LogRedaction
{
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        services.AddLogging(logging => logging.EnableRedaction());
        services.AddRedaction(redaction => redaction.SetHmacRedactor(_ => { }, new DataClassificationSet(DataClasses.Personal)));
        services.AddOptions<HmacRedactorOptions>().Configure<IOptions<AuditOptions>>((options, audit) =>
        {
            options.KeyId = 1;
            options.Key = Convert.ToBase64String(HMACSHA256.HashData(AuditKey.Load(audit.Value), Encoding.UTF8.GetBytes("switchboard/log-redaction/v1")));
        });
        return services;
    }
}
