namespace Switchboard.Tests.TestSupport;

/// <summary>
/// The project's shared public data (../shared/data beside the repository; its README gives sources and licences).
/// It is not copied into the repository. Found through SWITCHBOARD_SHARED_DATA, the folders above the test
/// binaries, or /work/shared/data; a test that needs it is skipped, saying why, where none exists.
/// </summary>
internal static class SharedData
{
    public static string Find(string file)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SHARED_DATA") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "data"));
        }
        candidates.Add("/work/shared/data");
        foreach (var folder in candidates)
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path))
            {
                return path;
            }
        }
        Assert.Skip($"{file} from ../shared/data is not on this machine (set SWITCHBOARD_SHARED_DATA to its folder).");
        return "";
    }
}
