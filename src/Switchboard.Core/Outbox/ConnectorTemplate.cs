using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Switchboard.Core.Common;

namespace Switchboard.Core.Outbox;

/// <summary>How a REST connector proves itself to the CRM.</summary>
public enum ConnectorAuthScheme
{
    None,

    /// <summary><c>Authorization: Bearer {credential}</c> (an OAuth access token, a HubSpot private-app token).</summary>
    Bearer,

    /// <summary><c>Authorization: Basic</c> of <c>user:password</c>.</summary>
    Basic,

    /// <summary>A header of the CRM's own: the credential is <c>Header-Name: value</c> (e.g. <c>X-Api-Key: …</c>).</summary>
    Header,
}

/// <summary>
/// One route of a REST connector: the events it takes, and the request each becomes — a method, a path under the
/// connector's base URL, and a JSON body template. Placeholders <c>{{path}}</c> name a field of the event envelope:
/// <c>id</c> (the event id, also the idempotency key), <c>type</c>, <c>occurredAt</c>, <c>recordType</c>,
/// <c>recordId</c>, <c>customerId</c>, or <c>data.…</c> (the record as the connector's role may see it, dotted, with
/// numeric indexes into lists). A body string that is one placeholder takes the field's JSON value (number, object,
/// null); a string with text around placeholders takes their text. Placeholders in the path are URL-escaped.
/// </summary>
public sealed record ConnectorRoute(string Events, string Method, string Path, JsonElement? Body);

/// <summary>A request rendered from a route: what the connector sends.</summary>
public sealed record RenderedRequest(string Method, string Path, string? Body);

/// <summary>Parses, validates and renders a connector's routes: pure (unit- and property-tested).</summary>
public static partial class ConnectorTemplate
{
    public const int MaxRoutes = 20;
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxPath = 500;
    private static readonly string[] Methods = ["POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] Roots = ["id", "type", "occurredAt", "recordType", "recordId", "customerId", "data"];
    private static readonly ConcurrentDictionary<string, IReadOnlyList<ConnectorRoute>> Parsed = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\{\s*([^{}]*?)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]{1,4}))*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPath();

    /// <summary>The routes stored as JSON (parsed once per distinct text); none for null.</summary>
    public static IReadOnlyList<ConnectorRoute> Parse(string? json) =>
        json is null ? [] : Parsed.Count > 1_000 ? Deserialize(json) : Parsed.GetOrAdd(json, Deserialize);

    private static IReadOnlyList<ConnectorRoute> Deserialize(string json) => JsonSerializer.Deserialize<List<ConnectorRoute>>(json, WireJson.Options) ?? [];

    /// <summary>The routes as stored.</summary>
    public static string Serialize(IReadOnlyList<ConnectorRoute> routes) => JsonSerializer.Serialize(routes, WireJson.Options);

    /// <summary>The first route taking <paramref name="type"/>, or null.</summary>
    public static ConnectorRoute? RouteFor(IReadOnlyList<ConnectorRoute> routes, string type) => routes.FirstOrDefault(r => Destination.Matches(r.Events, type));

    /// <summary>Every error in the routes, each with the field it concerns (<c>routes[2].path</c>); the routes normalised when there is none.</summary>
    internal static IReadOnlyList<ConnectorRoute> Validate(IReadOnlyList<ConnectorRoute?>? routes, ValidationErrors errors, Func<string, string?> checkEvents)
    {
        if (routes is not { Count: > 0 })
        {
            errors.Add("routes", "a connector needs at least one route (events, method, path, body).");
            return [];
        }
        if (routes.Count > MaxRoutes)
        {
            errors.Add("routes", $"at most {MaxRoutes} routes.");
            return [];
        }
        var valid = new List<ConnectorRoute>();
        for (var i = 0; i < routes.Count; i++)
        {
            var field = $"routes[{i}]";
            if (routes[i] is not { } route)
            {
                errors.Add(field, "is empty.");
                continue;
            }
            var before = errors.Count;
            if (string.IsNullOrWhiteSpace(route.Events))
            {
                errors.Add(field + ".events", "is required: *, a record type's (ticket.*), or types (ticket.created,ticket.updated).");
            }
            else if (route.Events.Length > 1000)
            {
                errors.Add(field + ".events", "is longer than 1000 characters.");
            }
            else
            {
                foreach (var wanted in route.Events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (checkEvents(wanted) is { } problem)
                    {
                        errors.Add(field + ".events", problem);
                    }
                }
            }
            var method = route.Method?.Trim().ToUpperInvariant();
            if (method is null || !Methods.Contains(method))
            {
                errors.Add(field + ".method", "must be POST, PUT, PATCH or DELETE.");
            }
            if (route.Path is not { Length: > 0 } path || path[0] != '/' || path.Length > MaxPath || path.Contains("..", StringComparison.Ordinal)
                || path.Contains('#') || path.Any(char.IsControl) || path.Contains(' '))
            {
                errors.Add(field + ".path", $"must start with / and be at most {MaxPath} characters, without spaces, '..' or '#'.");
            }
            else
            {
                CheckPlaceholders(path, field + ".path", errors);
            }
            if (route.Body is { } body)
            {
                if (method == "DELETE")
                {
                    errors.Add(field + ".body", "a DELETE sends no body.");
                }
                else if (body.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    errors.Add(field + ".body", "must be a JSON object or array.");
                }
                else if (Encoding.UTF8.GetByteCount(body.GetRawText()) > MaxBodyBytes)
                {
                    errors.Add(field + ".body", $"is larger than {MaxBodyBytes / 1024} KB.");
                }
                else if (Depth(body) > 10)
                {
                    errors.Add(field + ".body", "nests deeper than 10 levels.");
                }
                else
                {
                    foreach (var text in Strings(body))
                    {
                        CheckPlaceholders(text, field + ".body", errors);
                    }
                }
            }
            else if (method is "POST" or "PUT" or "PATCH")
            {
                errors.Add(field + ".body", $"a {method} needs a body template.");
            }
            if (errors.Count == before)
            {
                valid.Add(new ConnectorRoute(string.Join(',', route.Events!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
                    method!, route.Path!, route.Body?.Clone()));
            }
        }
        return valid;
    }

    /// <summary>Renders <paramref name="route"/> for one event envelope (<c>{id, type, occurredAt, recordType, recordId, customerId, data}</c>).</summary>
    public static RenderedRequest Render(ConnectorRoute route, JsonElement envelope)
    {
        var path = Placeholder().Replace(route.Path, m => Uri.EscapeDataString(Text(Resolve(envelope, m.Groups[1].Value))));
        var body = route.Body is { } template ? Render(template, envelope)?.ToJsonString(WireJson.Options) ?? "null" : null;
        return new RenderedRequest(route.Method, path, body);
    }

    private static JsonNode? Render(JsonElement template, JsonElement envelope)
    {
        switch (template.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in template.EnumerateObject())
                {
                    obj[property.Name] = Render(property.Value, envelope);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in template.EnumerateArray())
                {
                    array.Add(Render(item, envelope));
                }
                return array;
            case JsonValueKind.String:
                var text = template.GetString()!;
                var whole = Placeholder().Match(text);
                if (whole.Success && whole.Index == 0 && whole.Length == text.Length)
                {
                    return Resolve(envelope, whole.Groups[1].Value) is { } value ? JsonNode.Parse(value.GetRawText()) : null;
                }
                return JsonValue.Create(Placeholder().Replace(text, m => Text(Resolve(envelope, m.Groups[1].Value))));
            default:
                return JsonNode.Parse(template.GetRawText());
        }
    }

    /// <summary>The envelope's field at a dotted path, or null where there is none.</summary>
    private static JsonElement? Resolve(JsonElement envelope, string path)
    {
        var current = envelope;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    private static string Text(JsonElement? value) => value switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { } other => other.GetRawText(),
    };

    private static void CheckPlaceholders(string text, string field, ValidationErrors errors)
    {
        foreach (Match m in Placeholder().Matches(text))
        {
            var path = m.Groups[1].Value;
            if (!FieldPath().IsMatch(path) || !Roots.Contains(path.Split('.')[0]) || (path.Contains('.') && !path.StartsWith("data.", StringComparison.Ordinal)))
            {
                errors.Add(field, $"'{{{{{(path.Length > 60 ? path[..60] : path)}}}}}' names no event field: use {string.Join(", ", Roots.SkipLast(1))} or data.<field>.");
            }
        }
        var open = text.Split("{{").Length - 1;
        if (open != Placeholder().Count(text))
        {
            errors.Add(field, "has a '{{' without its '}}'.");
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static int Depth(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
