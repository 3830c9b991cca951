namespace Switchboard.Tests.TestSupport;

/// <summary>Waits for something the server does in the background (a hub reporting a connection, a pop, a follower), failing with the reason given after 15 s.</summary>
public static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static Task TrueAsync(Func<bool> condition, string because) => TrueAsync(() => Task.FromResult(condition()), because);

    public static async Task TrueAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds, within <paramref name="patience"/>; returns the last value read.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<string> because, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, because());
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
