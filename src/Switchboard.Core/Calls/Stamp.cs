namespace Switchboard.Core.Calls;

/// <summary>
/// The total order events are compared by: time, then kind (a call's natural sequence), then the event key.
/// Two events never compare equal unless they are the same event, so "earliest" and "latest" never depend on
/// the order events arrived in.
/// </summary>
internal readonly record struct Stamp(DateTime At, CallEventKind Kind, string Key) : IComparable<Stamp>
{
    public static Stamp Of(CallEvent e) => new(e.At, e.Kind, e.EventKey);

    public int CompareTo(Stamp other)
    {
        var byTime = At.CompareTo(other.At);
        if (byTime != 0)
        {
            return byTime;
        }
        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Key, other.Key);
    }

    public static bool operator <(Stamp left, Stamp right) => left.CompareTo(right) < 0;

    public static bool operator >(Stamp left, Stamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(Stamp left, Stamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Stamp left, Stamp right) => left.CompareTo(right) >= 0;
}

/// <summary>A value with the stamp of the event that set it.</summary>
internal readonly record struct Stamped<T>(T Value, Stamp Stamp)
{
    /// <summary>Keeps the value of the earlier event (first writer wins, whatever the arrival order).</summary>
    public static Stamped<T>? Earliest(Stamped<T>? current, T value, Stamp stamp) =>
        current is { } c && c.Stamp < stamp ? c : new Stamped<T>(value, stamp);

    /// <summary>Keeps the value of the later event (last writer wins, whatever the arrival order).</summary>
    public static Stamped<T>? Latest(Stamped<T>? current, T value, Stamp stamp) =>
        current is { } c && c.Stamp > stamp ? c : new Stamped<T>(value, stamp);
}
