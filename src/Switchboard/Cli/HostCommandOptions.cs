using System.CommandLine;

namespace Switchboard.Cli;

/// <summary>Options shared by the verbs that open the store or start the server.</summary>
internal static class HostCommandOptions
{
    public static Option<string> DataDir() => new("--data-dir")
    {
        Description = "Directory of the embedded SQLite store (Storage:DataDirectory).",
        DefaultValueFactory = _ => "./data",
    };

    public static Option<string> Urls() => new("--urls")
    {
        Description = "Addresses to listen on.",
        DefaultValueFactory = _ => "http://localhost:5080",
    };

    /// <summary>Host arguments for the same settings: configuration keys win over appsettings, as on the server.</summary>
    public static string[] HostArgs(string dataDir, string? urls = null)
    {
        var args = new List<string> { $"--Storage:DataDirectory={dataDir}" };
        if (urls is not null)
        {
            args.Add($"--urls={urls}");
        }
        return [.. args];
    }
}
