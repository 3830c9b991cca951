namespace Switchboard.Core.Audit;

/// <summary>Who is acting, as the audit trail records it: the actor and role, the face, the call served if any.</summary>
public sealed record AuditActor(string Actor, string Role, AuditChannel Channel, string? CallId = null)
{
    /// <summary>Switchboard itself (background work, the demo), until a face says otherwise.</summary>
    public static readonly AuditActor System = new("switchboard", "system", AuditChannel.System);
}

/// <summary>
/// The actor of the current flow of work (an <see cref="AsyncLocal{T}"/>): each face sets it where a request or a
/// command begins (the HTTP pipeline, the CLI, the hubs), and everything audited below it is attributed to it.
/// </summary>
public static class AuditContext
{
    private static readonly AsyncLocal<AuditActor?> CurrentActor = new();

    public static AuditActor Current => CurrentActor.Value ?? AuditActor.System;

    /// <summary>Acts as <paramref name="actor"/> until the returned scope is disposed.</summary>
    public static IDisposable Begin(AuditActor actor)
    {
        var before = CurrentActor.Value;
        CurrentActor.Value = actor;
        return new Restore(before);
    }

    private sealed class Restore(AuditActor? before) : IDisposable
    {
        public void Dispose() => CurrentActor.Value = before;
    }
}
