using System.Text.Json;

namespace Switchboard.Core.Common;

/// <summary>Enum values as every face writes them: camelCase ("atRisk"), matching the JSON of the REST API.</summary>
public static class WireNames
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
