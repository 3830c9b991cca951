using Microsoft.Extensions.Compliance.Classification;

namespace Switchboard.Core.Diagnostics;

/// <summary>
/// Switchboard's data classes for logs. A log parameter marked <see cref="PersonalDataAttribute"/> (a name, a phone
/// number, an account) is never written as is: the host's redactor replaces it with a keyed hash
/// (Microsoft.Extensions.Compliance.Redaction, HMAC-SHA256), so operators can see that two lines are about the same
/// account or caller without seeing who. Everything else logged is an id.
/// </summary>
public static class DataClasses
{
    public const string Taxonomy = "Switchboard";

    public static DataClassification Personal => new(Taxonomy, nameof(Personal));
}

/// <summary>Marks a log parameter as personal data: redacted before any log sink sees it.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(DataClasses.Personal);
