namespace Switchboard.Hosting;

/// <summary>Recognises the arguments ASP.NET Core's test host passes to the entry point.</summary>
internal static class HostArguments
{
    public static bool AreFromTestHost(string[] args) =>
        args.Any(a => a.StartsWith("--applicationName=", StringComparison.Ordinal));
}
