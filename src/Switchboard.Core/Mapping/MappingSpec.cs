using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Core.Mapping;

/// <summary>Which way a field is mapped.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FieldDirection>))]
public enum FieldDirection
{
    /// <summary>From the other system into Switchboard and back out.</summary>
    Both,

    /// <summary>Only into Switchboard (computed fields are always this).</summary>
    In,

    /// <summary>Only out to the other system.</summary>
    Out,
}

/// <summary>Which side wins a field when both changed it (sync conflicts are resolved by ownership first).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FieldOwner>))]
public enum FieldOwner
{
    /// <summary>The other system owns it (the CRM is the system of record for most customer data).</summary>
    External,

    /// <summary>Switchboard owns it (what the call center learns: tier from calls, preferred language…).</summary>
    Switchboard,

    /// <summary>Neither side: in a conflict the later change wins (the CRM's modification time against the customer's).</summary>
    Shared,
}

/// <summary>
/// A mapping document as written (JSON or YAML): what an external system's records are in Switchboard's model and
/// back. Checked by <see cref="MappingSpec.Parse"/>, which reports every problem with its field.
/// </summary>
public sealed record MappingDocument
{
    /// <summary>The spec's name (a slug: <c>salesforce-accounts</c>); versions are kept per name.</summary>
    public string? Name { get; init; }

    /// <summary>What it maps: <c>customer</c>.</summary>
    public string? Entity { get; init; }

    /// <summary>The other system's name, as the identity map keeps it (<c>salesforce</c>).</summary>
    public string? System { get; init; }

    /// <summary>The other system's field that holds its id for the record.</summary>
    public string? Key { get; init; }

    /// <summary>The region phone numbers without a country code are read in (ISO 3166: CN). Default CN.</summary>
    public string? Region { get; init; }

    /// <summary>The time zone dates without an offset are read in (IANA: Asia/Shanghai). Default Asia/Shanghai.</summary>
    public string? TimeZone { get; init; }

    public IReadOnlyList<FieldDocument?>? Fields { get; init; }
}

/// <summary>One field's map as written.</summary>
public sealed record FieldDocument
{
    /// <summary>Switchboard's field (<see cref="CustomerFields"/>).</summary>
    public string? Target { get; init; }

    /// <summary>The other system's field; or <see cref="Expression"/>.</summary>
    public string? Source { get; init; }

    /// <summary>A computed value from the record's fields, in the expression language of the rules (in only).</summary>
    public string? Expression { get; init; }

    public FieldDirection? Direction { get; init; }

    public FieldOwner? Owner { get; init; }

    /// <summary>Applied in order on the way in (<see cref="Transforms"/>); their inverses, where they have one, on the way out.</summary>
    public IReadOnlyList<string>? Transforms { get; init; }

    /// <summary>The other system's values → Switchboard's (<c>A: vip</c>); reversed on the way out, so it must be one to one for both directions.</summary>
    public IReadOnlyDictionary<string, string>? Values { get; init; }

    /// <summary>Switchboard's value when the other system's is empty (after transforms).</summary>
    public JsonElement? Default { get; init; }

    /// <summary>A record without a value for it is refused (quarantined in an import).</summary>
    public bool? Required { get; init; }
}
