namespace Switchboard.Tests.TestSupport;

/// <summary>The repository's root (where Switchboard.slnx is), for tests and benchmarks that read the docs' samples. Linked into the benchmark project too.</summary>
public static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Switchboard.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
