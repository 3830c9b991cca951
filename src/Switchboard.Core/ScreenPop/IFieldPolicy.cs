namespace Switchboard.Core.ScreenPop;

/// <summary>
/// The one shaping step every pop passes before it leaves the server: what the receiving agent may see. The
/// security issue (5) replaces <see cref="OpenFieldPolicy"/> with role- and field-level rules and masking.
/// </summary>
public interface IFieldPolicy
{
    /// <summary>The pop as <paramref name="agentId"/> may see it.</summary>
    ScreenPopMessage Shape(ScreenPopMessage pop, string agentId);
}

/// <summary>Shows everything; the placeholder until roles exist (docs/architecture.md: no authentication yet).</summary>
internal sealed class OpenFieldPolicy : IFieldPolicy
{
    public ScreenPopMessage Shape(ScreenPopMessage pop, string agentId) => pop;
}
