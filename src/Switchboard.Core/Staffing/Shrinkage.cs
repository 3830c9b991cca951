namespace Switchboard.Core.Staffing;

/// <summary>Shrinkage: the share of paid time agents are not on the phones (breaks, training, absence).</summary>
public static class Shrinkage
{
    /// <summary>Agents to schedule so that <paramref name="onPhones"/> are on the phones, rounded up.</summary>
    public static int Scheduled(int onPhones, double shrinkage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shrinkage);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shrinkage, 1);
        return (int)Math.Ceiling(onPhones / (1 - shrinkage) - 1e-9);
    }
}
