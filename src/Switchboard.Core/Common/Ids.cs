namespace Switchboard.Core.Common;

/// <summary>Internal ids are GUIDv7: time-ordered, so inserts append to the primary-key index (docs/adr/0004).</summary>
public static class Ids
{
    /// <summary>A new id stamped with the provider's current time.</summary>
    public static Guid New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow());

    /// <summary>A new id stamped with the given time (seeding history).</summary>
    public static Guid At(DateTimeOffset at) => Guid.CreateVersion7(at);
}
