using System.Text.Json;

namespace Switchboard.Core.Telephony;

/// <summary>
/// A Generic CTI event exactly as Zammad documents it (docs.zammad.org, API → Generic CTI): <c>event</c> =
/// newCall | answer | hangup, <c>from</c>, <c>to</c>, <c>direction</c> (in | out), <c>callId</c>, <c>user</c> /
/// <c>user[]</c> (one or more real names), <c>queue</c>, <c>cause</c>, <c>answeringNumber</c>; form-encoded or JSON.
/// </summary>
public sealed record ZammadCtiRequest(
    string? Event, string? From, string? To, string? Direction, string? CallId, IReadOnlyList<string> Users,
    string? Queue, string? Cause, string? AnsweringNumber)
{
    /// <summary>Reads form fields; <c>user[]</c> and <c>user</c> may each repeat.</summary>
    public static ZammadCtiRequest FromForm(Func<string, IReadOnlyList<string>> field) => new(
        First(field("event")), First(field("from")), First(field("to")), First(field("direction")), First(field("callId")),
        field("user[]").Concat(field("user")).Where(u => !string.IsNullOrWhiteSpace(u)).ToList(),
        First(field("queue")), First(field("cause")), First(field("answeringNumber")));

    /// <summary>Reads a JSON object; <c>user</c> may be a string or an array of strings. Throws <see cref="JsonException"/> for other shapes.</summary>
    public static ZammadCtiRequest FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body must be a JSON object.");
        }
        string? Text(string name) => root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new JsonException($"'{name}' must be a string."),
            }
            : null;
        var users = new List<string>();
        foreach (var name in new[] { "user", "user[]" })
        {
            if (root.TryGetProperty(name, out var user))
            {
                switch (user.ValueKind)
                {
                    case JsonValueKind.String:
                        users.Add(user.GetString()!);
                        break;
                    case JsonValueKind.Array:
                        users.AddRange(user.EnumerateArray().Select(u => u.ValueKind == JsonValueKind.String ? u.GetString()! : throw new JsonException($"'{name}' must hold strings.")));
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        throw new JsonException($"'{name}' must be a string or an array of strings.");
                }
            }
        }
        return new(Text("event"), Text("from"), Text("to"), Text("direction"), Text("callId"),
            users.Where(u => !string.IsNullOrWhiteSpace(u)).ToList(), Text("queue"), Text("cause"), Text("answeringNumber"));
    }

    private static string? First(IReadOnlyList<string> values) => values.Count > 0 ? values[0] : null;
}
