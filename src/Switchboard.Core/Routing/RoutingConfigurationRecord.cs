namespace Switchboard.Core.Routing;

/// <summary>One saved version of the routing configuration (the JSON document as sent, validated before it was kept).</summary>
public sealed class RoutingConfigurationRecord
{
    public int Version { get; set; }

    public string Document { get; set; } = "";

    public DateTime SavedAt { get; set; }
}
