using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchboard.Core.Sync;

/// <summary>One record as a CRM gave it: its key, when it last changed, whether it is a tombstone, its fields as text, and Switchboard's id if it carries one.</summary>
public sealed record SourceRecord(string Key, DateTime ModifiedAt, bool Deleted, IReadOnlyDictionary<string, string?> Fields, string? OurId);

/// <summary>A page of a pass. <paramref name="Ordered"/>: in modification order, so the cursor may advance past it (a HubSpot archive sweep is not).</summary>
public sealed record SourcePage(IReadOnlyList<SourceRecord> Records, string? Next, bool Ordered);

/// <summary>A CRM refused or failed a request: its status and the vendor's error code (never its body otherwise), and how long it asked us to wait.</summary>
public sealed class SyncRequestException(HttpStatusCode? status, string reason, TimeSpan? wait, bool rateLimited) : Exception(reason)
{
    public HttpStatusCode? Status { get; } = status;

    public TimeSpan? Wait { get; } = wait;

    public bool RateLimited { get; } = rateLimited;
}

/// <summary>How a connection speaks to its CRM: the pull (pages of records modified since a time, tombstones included) and the push (upsert by Switchboard's id, delete).</summary>
public interface ISyncVendor
{
    /// <summary>Fetches the first page of a pass (<paramref name="next"/> null) or the page <paramref name="next"/> names.</summary>
    Task<SourcePage> FetchAsync(HttpClient http, SyncConnection connection, string baseUrl, IReadOnlyList<string> fields, DateTime since, string? next, bool sweepDeletes,
        CancellationToken cancellationToken);

    /// <summary>
    /// The request that writes <paramref name="fields"/> to the CRM's record of customer <paramref name="ourId"/>: an update
    /// by the CRM's <paramref name="key"/> when the identity map knows it (the record may have been made in the CRM, without
    /// our id; the update stamps it), else an upsert by our id (made on first push, found again on a retry).
    /// </summary>
    HttpRequestMessage Upsert(SyncConnection connection, string baseUrl, string ourId, string? key, IReadOnlyDictionary<string, string?> fields);

    /// <summary>The request that deletes the CRM's record by its key (the identity map's: never by our id, which a merge may have moved elsewhere).</summary>
    HttpRequestMessage Delete(SyncConnection connection, string baseUrl, string key);

    /// <summary>The CRM's key for the record an upsert answered about.</summary>
    Task<string?> UpsertedKeyAsync(HttpResponseMessage response, CancellationToken cancellationToken);
}

/// <summary>The vendors, and the checks names go through before they are put in a query.</summary>
public static partial class SyncVendors
{
    public static ISyncVendor Of(SyncVendor vendor) => vendor == SyncVendor.HubSpot ? HubSpotVendor.Instance : SalesforceVendor.Instance;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex Slug();

    /// <summary>An API name safe to put in a query or a path: letters, digits and '_', starting with a letter (Salesforce's and HubSpot's own rule for custom names).</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$", RegexOptions.CultureInvariant)]
    public static partial Regex ApiName();

    internal static async Task<JsonNode> ReadAsync(HttpResponseMessage response, TimeProvider? time, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = ErrorCode(text);
            var limited = response.StatusCode == HttpStatusCode.TooManyRequests || code is "REQUEST_LIMIT_EXCEEDED" or "RATE_LIMIT";
            var wait = response.Headers.RetryAfter is { } after
                ? after.Delta ?? (after.Date is { } date ? date - (time ?? TimeProvider.System).GetUtcNow() : null)
                : null;
            throw new SyncRequestException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}{(code is null ? "" : " " + code)}", wait, limited);
        }
        try
        {
            return await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken)
                ?? throw new SyncRequestException(response.StatusCode, "the answer is empty", null, false);
        }
        catch (JsonException)
        {
            throw new SyncRequestException(response.StatusCode, "the answer is not JSON", null, false);
        }
    }

    /// <summary>The vendor's error code from an error body: Salesforce's <c>[{"errorCode":…}]</c>, HubSpot's <c>{"category"|"errorType":…}</c>; only codes that look like codes.</summary>
    private static string? ErrorCode(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            var code = node is JsonArray { Count: > 0 } array ? array[0]?["errorCode"]?.GetValue<string>()
                : node?["errorType"]?.GetValue<string>() ?? node?["category"]?.GetValue<string>();
            return code is { Length: <= 64 } && code.All(c => char.IsAsciiLetterUpper(c) || c == '_') ? code : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    internal static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Null => null,
        _ => node.ToJsonString(),
    };

    internal static DateTime Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.UtcDateTime
        : DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffzzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out at) ? at.UtcDateTime
        : throw new SyncRequestException(null, "a record's modification time could not be read", null, false);
}

/// <summary>
/// Salesforce's REST API (v60.0). Pull: <c>GET /queryAll?q=SELECT … FROM {Object} WHERE SystemModstamp &gt;= {since}
/// ORDER BY SystemModstamp, Id</c> (queryAll returns deleted records too, <c>IsDeleted: true</c>: the tombstones), the
/// page size in <c>Sforce-Query-Options: batchSize</c>, later pages by <c>nextRecordsUrl</c> (a server-side cursor).
/// Push: upsert by external id (<c>PATCH /sobjects/{Object}/{OurIdField}/{id}</c>: 201 made, 200 updated; either way
/// <c>{"id":…}</c>), update by id, delete by id.
/// </summary>
internal sealed class SalesforceVendor : ISyncVendor
{
    public static readonly SalesforceVendor Instance = new();
    private const string Api = "/services/data/v60.0";

    public async Task<SourcePage> FetchAsync(HttpClient http, SyncConnection connection, string baseUrl, IReadOnlyList<string> fields, DateTime since, string? next,
        bool sweepDeletes, CancellationToken cancellationToken)
    {
        string url;
        if (next is null)
        {
            var selected = new[] { "Id", "IsDeleted", "SystemModstamp", connection.OurIdField }.Concat(fields).Distinct(StringComparer.OrdinalIgnoreCase);
            var where = since > DateTime.MinValue ? $" WHERE SystemModstamp >= {since.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}" : "";
            url = $"{baseUrl.TrimEnd('/')}{Api}/queryAll?q={Uri.EscapeDataString($"SELECT {string.Join(", ", selected)} FROM {connection.Object}{where} ORDER BY SystemModstamp, Id")}";
        }
        else
        {
            if (!next.StartsWith(Api + "/query", StringComparison.Ordinal) || next.Contains("..", StringComparison.Ordinal))
            {
                throw new SyncRequestException(null, "nextRecordsUrl is not a query locator", null, false);
            }
            url = baseUrl.TrimEnd('/') + next;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Sforce-Query-Options", $"batchSize={Math.Clamp(connection.PageSize, 200, 2000)}");
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await SyncVendors.ReadAsync(response, null, cancellationToken);
        var records = new List<SourceRecord>();
        foreach (var record in body["records"]?.AsArray() ?? [])
        {
            if (record is not JsonObject fieldsOf || SyncVendors.Text(fieldsOf["Id"]) is not { } id)
            {
                continue;
            }
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in fieldsOf)
            {
                if (name != "attributes")
                {
                    values[name] = SyncVendors.Text(value);
                }
            }
            records.Add(new SourceRecord(id, SyncVendors.Time(SyncVendors.Text(fieldsOf["SystemModstamp"])), fieldsOf["IsDeleted"]?.GetValueKind() == JsonValueKind.True,
                values, values.GetValueOrDefault(connection.OurIdField)));
        }
        var more = body["done"]?.GetValueKind() == JsonValueKind.False ? SyncVendors.Text(body["nextRecordsUrl"]) : null;
        return new SourcePage(records, more, Ordered: true);
    }

    public HttpRequestMessage Upsert(SyncConnection connection, string baseUrl, string ourId, string? key, IReadOnlyDictionary<string, string?> fields)
    {
        var body = fields.Where(f => !f.Key.Equals(connection.OurIdField, StringComparison.OrdinalIgnoreCase) && !f.Key.Equals("Id", StringComparison.OrdinalIgnoreCase))
            .ToDictionary();
        if (key is not null)
        {
            body[connection.OurIdField] = ourId; // update by the record's id, and stamp ours on it
            return new(HttpMethod.Patch, $"{baseUrl.TrimEnd('/')}{Api}/sobjects/{connection.Object}/{Uri.EscapeDataString(key)}") { Content = JsonContent.Create(body) };
        }
        return new(HttpMethod.Patch, $"{baseUrl.TrimEnd('/')}{Api}/sobjects/{connection.Object}/{connection.OurIdField}/{Uri.EscapeDataString(ourId)}")
        {
            Content = JsonContent.Create(body),
        };
    }

    public HttpRequestMessage Delete(SyncConnection connection, string baseUrl, string key) =>
        new(HttpMethod.Delete, $"{baseUrl.TrimEnd('/')}{Api}/sobjects/{connection.Object}/{Uri.EscapeDataString(key)}");

    public async Task<string?> UpsertedKeyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.StatusCode == HttpStatusCode.NoContent ? null : SyncVendors.Text((await SyncVendors.ReadAsync(response, null, cancellationToken))["id"]);
}

/// <summary>
/// HubSpot's CRM v3 API. Pull: <c>POST /crm/v3/objects/{object}/search</c> filtered and sorted by the modified-date
/// property (<c>GTE</c> the cursor, ascending), paged by keyset (each page a new search from the last page's latest
/// modification time; HubSpot's <c>after</c> is an offset it re-evaluates per request, used only within one
/// millisecond), at most 200 a page and 10,000 a query. Search never returns archived records: the
/// tombstones come from <c>GET /crm/v3/objects/{object}?archived=true</c>, swept when asked (it has no modified-since
/// filter; records archived before the window are skipped). Push: <c>POST …/batch/upsert</c> by the unique property
/// that holds Switchboard's id; delete (archive) by HubSpot's id.
/// </summary>
internal sealed class HubSpotVendor : ISyncVendor
{
    public static readonly HubSpotVendor Instance = new();
    private const int SearchCap = 10_000;

    public async Task<SourcePage> FetchAsync(HttpClient http, SyncConnection connection, string baseUrl, IReadOnlyList<string> fields, DateTime since, string? next,
        bool sweepDeletes, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(connection.PageSize, 1, 200);
        var properties = new[] { connection.OurIdField, connection.ModifiedField }.Concat(fields).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var root = $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{connection.Object}";
        if (next is null || next.StartsWith("s:", StringComparison.Ordinal))
        {
            // Keyset paging: each page is a new search from the last page's latest modification time (records at that
            // very millisecond are read again and skipped as seen), so a record modified during the pass cannot shift
            // another past a page boundary unseen; only a page that is all one millisecond goes on by offset.
            var (from, after) = next is null
                ? (new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), 0)
                : (long.Parse(next.Split(':')[1], CultureInfo.InvariantCulture), int.Parse(next.Split(':')[2], CultureInfo.InvariantCulture));
            var query = new JsonObject
            {
                ["filterGroups"] = new JsonArray(new JsonObject
                {
                    ["filters"] = new JsonArray(new JsonObject
                    {
                        ["propertyName"] = connection.ModifiedField, ["operator"] = "GTE",
                        ["value"] = from.ToString(CultureInfo.InvariantCulture),
                    }),
                }),
                ["sorts"] = new JsonArray(new JsonObject { ["propertyName"] = connection.ModifiedField, ["direction"] = "ASCENDING" }),
                ["properties"] = new JsonArray([.. properties.Select(p => (JsonNode)p)]),
                ["limit"] = limit,
                ["after"] = after.ToString(CultureInfo.InvariantCulture),
            };
            using var response = await http.PostAsJsonAsync(root + "/search", query, cancellationToken);
            var body = await SyncVendors.ReadAsync(response, null, cancellationToken);
            var records = Records(body, connection, since, archived: false);
            string? more = null;
            if (body["paging"]?["next"] is not null && records.Count > 0)
            {
                var reached = new DateTimeOffset(DateTime.SpecifyKind(records.Max(r => r.ModifiedAt), DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                more = reached > from ? $"s:{reached.ToString(CultureInfo.InvariantCulture)}:0"
                    : after + (2 * limit) <= SearchCap ? $"s:{from.ToString(CultureInfo.InvariantCulture)}:{(after + limit).ToString(CultureInfo.InvariantCulture)}" : null;
            }
            return new SourcePage(records, more ?? (sweepDeletes ? "a:" : null), Ordered: true);
        }
        var cursor = next[2..];
        var url = $"{root}?archived=true&limit=100&properties={Uri.EscapeDataString(string.Join(',', properties))}"
            + (cursor.Length > 0 ? "&after=" + Uri.EscapeDataString(cursor) : "");
        using (var response = await http.GetAsync(url, cancellationToken))
        {
            var body = await SyncVendors.ReadAsync(response, null, cancellationToken);
            var more = SyncVendors.Text(body["paging"]?["next"]?["after"]);
            return new SourcePage(Records(body, connection, since, archived: true), more is null ? null : "a:" + more, Ordered: false);
        }
    }

    private static List<SourceRecord> Records(JsonNode body, SyncConnection connection, DateTime since, bool archived)
    {
        var records = new List<SourceRecord>();
        foreach (var result in body["results"]?.AsArray() ?? [])
        {
            if (SyncVendors.Text(result?["id"]) is not { } id)
            {
                continue;
            }
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (result!["properties"] is JsonObject properties)
            {
                foreach (var (name, value) in properties)
                {
                    values[name] = SyncVendors.Text(value);
                }
            }
            values["id"] = id;
            if (archived)
            {
                var at = SyncVendors.Time(SyncVendors.Text(result["archivedAt"]) ?? SyncVendors.Text(result["updatedAt"]));
                if (at >= since)
                {
                    records.Add(new SourceRecord(id, at, Deleted: true, values, values.GetValueOrDefault(connection.OurIdField)));
                }
                continue;
            }
            var modified = SyncVendors.Text(result["properties"]?[connection.ModifiedField]) ?? SyncVendors.Text(result["updatedAt"]);
            records.Add(new SourceRecord(id, SyncVendors.Time(modified), Deleted: false, values, values.GetValueOrDefault(connection.OurIdField)));
        }
        return records;
    }

    public HttpRequestMessage Upsert(SyncConnection connection, string baseUrl, string ourId, string? key, IReadOnlyDictionary<string, string?> fields)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in fields.Where(f => !f.Key.Equals(connection.OurIdField, StringComparison.OrdinalIgnoreCase)
            && !f.Key.Equals("hs_object_id", StringComparison.OrdinalIgnoreCase)))
        {
            properties[name] = value ?? ""; // HubSpot clears a property set to the empty string
        }
        if (key is not null)
        {
            properties[connection.OurIdField] = ourId; // update by the record's id, and stamp ours on it
            return new HttpRequestMessage(HttpMethod.Patch, $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{connection.Object}/{Uri.EscapeDataString(key)}")
            {
                Content = JsonContent.Create(new JsonObject { ["properties"] = properties }),
            };
        }
        var body = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject { ["idProperty"] = connection.OurIdField, ["id"] = ourId, ["properties"] = properties }),
        };
        return new HttpRequestMessage(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{connection.Object}/batch/upsert") { Content = JsonContent.Create(body) };
    }

    public HttpRequestMessage Delete(SyncConnection connection, string baseUrl, string key) =>
        new(HttpMethod.Delete, $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{connection.Object}/{Uri.EscapeDataString(key)}");

    public async Task<string?> UpsertedKeyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await SyncVendors.ReadAsync(response, null, cancellationToken);
        return SyncVendors.Text(body["results"]?[0]?["id"] ?? body["id"]); // a batch upsert's first result, or an update's object
    }
}
