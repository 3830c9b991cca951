using Switchboard.Core;
using Switchboard.Data;

namespace Switchboard.Hosting;

/// <summary>The container of the offline verbs (seed, migrate): the same options, Core and store as the server, no web host.</summary>
internal static class OfflineHost
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSwitchboardOptions();
        builder.Services.AddSwitchboardCore();
        builder.Services.AddSwitchboardPersistence();
        // What an offline verb changes is audited as the operator who ran it (this flow of work keeps the actor).
        _ = Core.Audit.AuditContext.Begin(new Core.Audit.AuditActor(Environment.UserName, "operator", Core.Audit.AuditChannel.Cli));
        return builder.Build();
    }
}
