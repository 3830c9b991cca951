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
        return builder.Build();
    }
}
