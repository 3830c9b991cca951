using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
// This file is compiled into the test project (plain SDK: no ASP.NET Core implicit usings) and linked into the
// benchmark project (Web SDK: several of these are global usings there, which IDE0005 would flag as unnecessary).
#pragma warning disable IDE0005
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
#pragma warning restore IDE0005

namespace Switchboard.Fakes;

/// <summary>
/// An in-memory stand-in for one HubSpot CRM object type behind the CRM v3 objects API, following the shapes
/// HubSpot publishes:
/// <list type="bullet">
/// <item><b>CRM API | Search</b> (<c>POST /crm/v3/objects/{objectType}/search</c>): <c>filterGroups</c> OR'ed,
/// their <c>filters</c> AND'ed; one sort; <c>limit</c> up to 200; <c>after</c> is an offset that is re-evaluated on
/// every request (no snapshot, so records edited while paging move between pages); no more than 10,000 results can be
/// paged through; archived records are never found; requested properties without a value come back as null.</item>
/// <item><b>CRM API | Objects</b> (e.g. <i>Contacts</i>): list (<c>GET /crm/v3/objects/{objectType}</c>, paged by an
/// <c>after</c> cursor, <c>archived=true</c> for archived records only), read, update (<c>PATCH …/{id}</c>), archive
/// (<c>DELETE …/{id}</c>, 204) and batch upsert by a unique property (<c>POST …/batch/upsert</c>, at most 100 inputs,
/// each result flagged <c>new</c>).</item>
/// <item><b>API usage guidelines and limits</b> / <b>Error handling</b>: errors are
/// <c>{"status":"error","message":…,"correlationId":…,"category":…}</c>; 401 <c>INVALID_AUTHENTICATION</c>; 429
/// <c>RATE_LIMIT</c> with <c>"policyName":"SECONDLY"</c> for the per-second limits (the search endpoints have their
/// own, lower one: <see cref="SearchPerSecond"/>).</item>
/// </list>
/// Records carry HubSpot's bookkeeping: a numeric <c>id</c> (also the <c>hs_object_id</c> property), <c>createdate</c>,
/// the last-modified property (<c>lastmodifieddate</c> for contacts, <c>hs_lastmodifieddate</c> for most other
/// objects) and <c>archived</c>/<c>archivedAt</c>; <c>hs_updated_by_user_id</c> is <see cref="HumanUserId"/> after a
/// person's edit (<see cref="Put"/>) and empty after an API write. Every other property is a string or null.
/// Thread-safe; timestamps come from <see cref="FakeCrm.Clock"/>.
/// </summary>
public sealed class FakeHubSpot : FakeCrm
{
    /// <summary>The <c>hs_updated_by_user_id</c> of edits made by a person in HubSpot's UI.</summary>
    public const string HumanUserId = "1000001";

    private const string JsonContentType = "application/json;charset=utf-8";
    private const string UpdatedByProperty = "hs_updated_by_user_id";
    private const int SearchResultCap = 10_000;
    private const int MaxSearchLimit = 200;
    private const int MaxListLimit = 100;
    private const int MaxBatchInputs = 100;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _objectType;
    private readonly string _idProperty;
    private readonly string _modifiedProperty;
    private readonly string _basePath;
    private readonly string[] _defaultProperties;
    private readonly Dictionary<long, Row> _rows = [];
    private readonly List<long> _idOrder = [];
    private readonly SortedSet<Row> _byModified = new(RowOrder.Instance);
    private readonly Dictionary<string, long> _idByIdProperty = new(StringComparer.Ordinal);
    private long _lastId;
    private long _lastCorrelation;
    private long _searchSecond = long.MinValue;
    private int _searchesThisSecond;
    private int _live;

    /// <summary>
    /// A fake portal holding records of <paramref name="objectType"/>, upserted by the unique property
    /// <paramref name="idProperty"/>, whose last-modified timestamp is the property <paramref name="modifiedProperty"/>.
    /// </summary>
    public FakeHubSpot(string objectType = "contacts", string idProperty = "switchboard_id", string modifiedProperty = "lastmodifieddate")
    {
        _objectType = objectType;
        _idProperty = idProperty;
        _modifiedProperty = modifiedProperty;
        _basePath = "/crm/v3/objects/" + objectType;
        // What a search or list returns without a "properties" parameter (CRM API | Search: default properties).
        _defaultProperties = string.Equals(objectType, "contacts", StringComparison.OrdinalIgnoreCase)
            ? ["createdate", "email", "firstname", "hs_object_id", modifiedProperty, "lastname"]
            : ["createdate", "hs_object_id", modifiedProperty];
    }

    /// <summary>
    /// How <see cref="FakeCrm.FailNext"/> refuses: 429 (the default) is HubSpot's secondly rate limit; 0 drops the connection
    /// without an answer; any other status is sent with an empty body.
    /// </summary>
    public int FailWith { get; set; } = 429;

    /// <summary>
    /// Search requests allowed per second of <see cref="FakeCrm.Clock"/> (0: unlimited); the ones past it get the same 429 as
    /// <see cref="FakeCrm.FailNext"/>. HubSpot's search endpoints allow a few per second per account.
    /// </summary>
    public int SearchPerSecond { get; set; }

    /// <summary>Live (not archived) records.</summary>
    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _live;
            }
        }
    }

    /// <summary>The ids of the live (not archived) records, in id order.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (Gate)
            {
                return _idOrder.Select(id => _rows[id]).Where(r => !r.Archived).Select(r => r.IdText).ToArray();
            }
        }
    }

    /// <summary>
    /// As a person editing in HubSpot's UI: creates a record (a new id, or <paramref name="id"/> when it names no
    /// record) or updates one, merging <paramref name="fields"/> (bookkeeping properties among them are ignored; an
    /// archived record is restored). The last-modified property becomes <paramref name="modifiedAt"/> ??
    /// <see cref="FakeCrm.Clock"/> (an earlier stamp stands for a write that became visible late), <c>hs_updated_by_user_id</c>
    /// becomes <see cref="HumanUserId"/>. The unique property stays unique: a value another live record holds throws.
    /// </summary>
    /// <returns>The record's id.</returns>
    public string Put(IReadOnlyDictionary<string, string?> fields, string? id = null, DateTimeOffset? modifiedAt = null)
    {
        long? wanted = null;
        if (id is not null)
        {
            wanted = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw new ArgumentException("HubSpot ids are positive integers.", nameof(id));
        }
        lock (Gate)
        {
            var stamp = Millis(modifiedAt ?? Clock());
            Row? old = null;
            if (wanted is { } number)
            {
                _rows.TryGetValue(number, out old);
            }
            var merged = old is null
                ? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string?>(old.Properties, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in fields)
            {
                if (!IsBookkeeping(name))
                {
                    merged[name] = value;
                }
            }
            merged[UpdatedByProperty] = HumanUserId;
            var rowId = old?.Id ?? wanted ?? NewId();
            merged.TryGetValue(_idProperty, out var unique);
            if (unique is not null && _idByIdProperty.TryGetValue(unique, out var holder) && holder != rowId)
            {
                throw new InvalidOperationException($"{_idProperty} '{unique}' is already held by {holder}.");
            }
            Store(old, new Row(rowId, merged, old?.Created ?? stamp, stamp, archivedAt: null));
            return rowId.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>As a person in HubSpot's UI: archives the record (<c>archived = true</c>, <c>archivedAt</c> = <see cref="FakeCrm.Clock"/>).</summary>
    /// <exception cref="KeyNotFoundException">No live record has that id.</exception>
    public void Delete(string id)
    {
        lock (Gate)
        {
            var stamp = Millis(Clock());
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || !_rows.TryGetValue(number, out var old) || old.Archived)
            {
                throw new KeyNotFoundException($"No live {_objectType} {id}.");
            }
            Store(old, new Row(old.Id, old.Properties, old.Created, old.Modified, stamp));
        }
    }

    /// <summary>A copy of a live record's properties, bookkeeping included (timestamps in HubSpot's format); null when absent or archived.</summary>
    public IReadOnlyDictionary<string, string?>? Get(string id)
    {
        lock (Gate)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || !_rows.TryGetValue(number, out var row) || row.Archived)
            {
                return null;
            }
            return new Dictionary<string, string?>(row.Properties, StringComparer.OrdinalIgnoreCase)
            {
                ["hs_object_id"] = row.IdText,
                ["createdate"] = row.CreatedText,
                [_modifiedProperty] = row.ModifiedText,
            };
        }
    }

    /// <summary>Maps the routes under <c>/crm/v3/objects/{objectType}</c>; any other path under <c>/crm/v3</c> answers 404.</summary>
    public override void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/crm/v3/objects/{objectType}/search", SearchAsync);
        app.MapPost("/crm/v3/objects/{objectType}/batch/upsert", BatchUpsertAsync);
        app.MapGet("/crm/v3/objects/{objectType}", ListAsync);
        app.MapMethods("/crm/v3/objects/{objectType}/{id}", ["GET", "PATCH", "DELETE"], ByIdAsync);
        app.Map("/crm/v3/{**rest}", NotFoundAsync);
    }

    // ---- routes ----------------------------------------------------------------------------------------------

    private async Task SearchAsync(HttpContext http)
    {
        if (await RefusedAsync(http) || await WrongObjectTypeAsync(http))
        {
            return;
        }
        if (OverSearchLimit())
        {
            await WriteRateLimitAsync(http);
            return;
        }
        Search search;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            var problem = ParseSearch(body.RootElement, out search);
            if (problem is not null)
            {
                await WriteErrorAsync(http, 400, "VALIDATION_ERROR", problem);
                return;
            }
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(http, 400, "VALIDATION_ERROR", "Invalid input JSON: " + e.Message);
            return;
        }
        if (search.Offset + search.Limit > SearchResultCap)
        {
            await WriteErrorAsync(http, 400, "VALIDATION_ERROR",
                $"The search endpoints page through at most {SearchResultCap} results; after={search.Offset} with limit={search.Limit} goes past that.");
            return;
        }

        var page = new List<Row>(search.Limit);
        var total = 0;
        lock (Gate)
        {
            var (lowest, highest) = search.Hull();
            if (lowest <= highest)
            {
                var range = lowest == DateTime.MinValue && highest == DateTime.MaxValue
                    ? _byModified
                    : _byModified.GetViewBetween(Row.Probe(lowest, 0), Row.Probe(highest, long.MaxValue));
                foreach (var row in search.Descending ? range.Reverse() : range)
                {
                    if (!search.Matches(row))
                    {
                        continue;
                    }
                    if (total >= search.Offset && page.Count < search.Limit)
                    {
                        page.Add(row);
                    }
                    total++;
                }
            }
        }
        var properties = search.Properties ?? _defaultProperties;
        using var json = StartJson(http, 200);
        json.WriteStartObject();
        json.WriteNumber("total", total);
        json.WriteStartArray("results");
        foreach (var row in page)
        {
            WriteObject(json, row, properties, newFlag: null);
        }
        json.WriteEndArray();
        var next = search.Offset + page.Count;
        if (next < total)
        {
            json.WriteStartObject("paging");
            json.WriteStartObject("next");
            json.WriteString("after", next.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private async Task ListAsync(HttpContext http)
    {
        if (await RefusedAsync(http) || await WrongObjectTypeAsync(http))
        {
            return;
        }
        var query = http.Request.Query;
        var limit = 10;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxListLimit))
        {
            await WriteErrorAsync(http, 400, "VALIDATION_ERROR", $"limit must be between 1 and {MaxListLimit}; got {limitText}");
            return;
        }
        long after = 0;
        if (query.TryGetValue("after", out var afterText) && !long.TryParse(afterText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            await WriteErrorAsync(http, 400, "VALIDATION_ERROR", $"Invalid after value: {afterText}");
            return;
        }
        var archived = false;
        if (query.TryGetValue("archived", out var archivedText) && !bool.TryParse(archivedText.ToString(), out archived))
        {
            await WriteErrorAsync(http, 400, "VALIDATION_ERROR", $"Invalid archived value: {archivedText}");
            return;
        }
        var properties = PropertiesParameter(query) ?? _defaultProperties;

        var page = new List<Row>(limit);
        long? nextAfter = null;
        lock (Gate)
        {
            var start = _idOrder.BinarySearch(after);
            for (var i = start < 0 ? ~start : start; i < _idOrder.Count; i++)
            {
                var row = _rows[_idOrder[i]];
                if (row.Archived != archived)
                {
                    continue;
                }
                if (page.Count == limit)
                {
                    nextAfter = row.Id;
                    break;
                }
                page.Add(row);
            }
        }
        using var json = StartJson(http, 200);
        json.WriteStartObject();
        json.WriteStartArray("results");
        foreach (var row in page)
        {
            WriteObject(json, row, properties, newFlag: null);
        }
        json.WriteEndArray();
        if (nextAfter is { } cursor)
        {
            var afterValue = cursor.ToString(CultureInfo.InvariantCulture);
            var link = $"{http.Request.Scheme}://{http.Request.Host}{_basePath}?limit={limit.ToString(CultureInfo.InvariantCulture)}&after={afterValue}&archived={(archived ? "true" : "false")}";
            if (query.ContainsKey("properties"))
            {
                link += "&properties=" + Uri.EscapeDataString(string.Join(',', properties));
            }
            json.WriteStartObject("paging");
            json.WriteStartObject("next");
            json.WriteString("after", afterValue);
            json.WriteString("link", link);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private async Task BatchUpsertAsync(HttpContext http)
    {
        if (await RefusedAsync(http) || await WrongObjectTypeAsync(http))
        {
            return;
        }
        var inputs = new List<(string Key, Dictionary<string, string?> Properties)>();
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            var problem = ParseUpsertInputs(body.RootElement, inputs);
            if (problem is not null)
            {
                await WriteErrorAsync(http, 400, "VALIDATION_ERROR", problem);
                return;
            }
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(http, 400, "VALIDATION_ERROR", "Invalid input JSON: " + e.Message);
            return;
        }

        var started = FormatDate(Millis(Clock()));
        var results = new (Row Row, bool New)[inputs.Count];
        lock (Gate)
        {
            // Stamped inside the lock: API writes become visible in last-modified order (no accidental late commits).
            var stamp = Millis(Clock());
            for (var i = 0; i < inputs.Count; i++)
            {
                var (key, changes) = inputs[i];
                UpsertedValues.Add(key);
                Row? old = null;
                if (_idByIdProperty.TryGetValue(key, out var existing))
                {
                    old = _rows[existing];
                }
                changes[_idProperty] = key;
                var row = Write(old, changes, stamp);
                results[i] = (row, old is null);
            }
        }
        using var json = StartJson(http, 200);
        json.WriteStartObject();
        json.WriteString("status", "COMPLETE");
        json.WriteStartArray("results");
        foreach (var (row, isNew) in results)
        {
            WriteObject(json, row, properties: null, newFlag: isNew);
        }
        json.WriteEndArray();
        json.WriteString("startedAt", started);
        json.WriteString("completedAt", FormatDate(Millis(Clock())));
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private async Task ByIdAsync(HttpContext http)
    {
        if (await RefusedAsync(http) || await WrongObjectTypeAsync(http))
        {
            return;
        }
        var id = (string)http.Request.RouteValues["id"]!;
        var byProperty = http.Request.Query["idProperty"].ToString();
        switch (http.Request.Method)
        {
            case "GET":
            {
                var archived = string.Equals(http.Request.Query["archived"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
                Row? row;
                lock (Gate)
                {
                    row = Find(id, byProperty, archived);
                }
                if (row is null)
                {
                    await WriteNotFoundAsync(http);
                    return;
                }
                await WriteSingleAsync(http, row, PropertiesParameter(http.Request.Query) ?? _defaultProperties);
                return;
            }
            case "PATCH":
            {
                Dictionary<string, string?> changes;
                try
                {
                    using var body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
                    if (body.RootElement.ValueKind != JsonValueKind.Object
                        || !body.RootElement.TryGetProperty("properties", out var properties))
                    {
                        await WriteErrorAsync(http, 400, "VALIDATION_ERROR", "Invalid input JSON: expected an object with \"properties\"");
                        return;
                    }
                    var problem = ParseProperties(properties, out changes);
                    if (problem is not null)
                    {
                        await WriteErrorAsync(http, 400, "VALIDATION_ERROR", problem);
                        return;
                    }
                }
                catch (JsonException e)
                {
                    await WriteErrorAsync(http, 400, "VALIDATION_ERROR", "Invalid input JSON: " + e.Message);
                    return;
                }
                Row? row = null;
                string? conflict = null;
                lock (Gate)
                {
                    var stamp = Millis(Clock());
                    var old = Find(id, byProperty, archived: false);
                    if (old is not null)
                    {
                        if (changes.TryGetValue(_idProperty, out var unique) && unique is not null
                            && _idByIdProperty.TryGetValue(unique, out var holder) && holder != old.Id)
                        {
                            conflict = $"A {_objectType} with {_idProperty}={unique} already exists (id {holder.ToString(CultureInfo.InvariantCulture)}).";
                        }
                        else
                        {
                            row = Write(old, changes, stamp);
                        }
                    }
                }
                if (conflict is not null)
                {
                    await WriteErrorAsync(http, 409, "CONFLICT", conflict);
                    return;
                }
                if (row is null)
                {
                    await WriteNotFoundAsync(http);
                    return;
                }
                await WriteSingleAsync(http, row, properties: null);
                return;
            }
            default:
            {
                lock (Gate)
                {
                    var stamp = Millis(Clock());
                    var old = Find(id, byProperty, archived: false);
                    if (old is not null)
                    {
                        Store(old, new Row(old.Id, old.Properties, old.Created, old.Modified, stamp));
                    }
                }
                http.Response.StatusCode = 204;
                return;
            }
        }
    }

    private async Task NotFoundAsync(HttpContext http)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        await WriteNotFoundAsync(http);
    }

    // ---- state (callers hold Gate) ----------------------------------------------------------------------------

    /// <summary>An API write: merges <paramref name="changes"/> into <paramref name="old"/> (or creates), stamps it now.</summary>
    private Row Write(Row? old, Dictionary<string, string?> changes, DateTime stamp)
    {
        Dictionary<string, string?> merged;
        if (old is null)
        {
            merged = changes;
        }
        else
        {
            merged = new Dictionary<string, string?>(old.Properties, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in changes)
            {
                merged[name] = value;
            }
        }
        merged.Remove(UpdatedByProperty);
        var row = new Row(old?.Id ?? NewId(), merged, old?.Created ?? stamp, stamp, archivedAt: null);
        Store(old, row);
        return row;
    }

    private Row? Find(string id, string byProperty, bool archived)
    {
        Row? row = null;
        if (byProperty.Length > 0 && !string.Equals(byProperty, "hs_object_id", StringComparison.OrdinalIgnoreCase))
        {
            if (string.Equals(byProperty, _idProperty, StringComparison.OrdinalIgnoreCase) && _idByIdProperty.TryGetValue(id, out var number))
            {
                row = _rows[number];
            }
        }
        else if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            _rows.TryGetValue(number, out row);
        }
        return row is not null && row.Archived == archived ? row : null;
    }

    private void Store(Row? old, Row row)
    {
        if (old is null)
        {
            var at = _idOrder.BinarySearch(row.Id);
            _idOrder.Insert(~at, row.Id);
        }
        else if (!old.Archived)
        {
            _live--;
            _byModified.Remove(old);
            if (old.Properties.TryGetValue(_idProperty, out var oldUnique) && oldUnique is not null)
            {
                _idByIdProperty.Remove(oldUnique);
            }
        }
        _rows[row.Id] = row;
        if (!row.Archived)
        {
            _live++;
            _byModified.Add(row);
            if (row.Properties.TryGetValue(_idProperty, out var unique) && unique is not null)
            {
                _idByIdProperty[unique] = row.Id;
            }
        }
    }

    private long NewId()
    {
        do
        {
            _lastId++;
        }
        while (_rows.ContainsKey(_lastId));
        return _lastId;
    }

    private bool OverSearchLimit()
    {
        var perSecond = SearchPerSecond;
        var second = Clock().ToUnixTimeSeconds();
        lock (Gate)
        {
            if (second != _searchSecond)
            {
                _searchSecond = second;
                _searchesThisSecond = 0;
            }
            _searchesThisSecond++;
            return perSecond > 0 && _searchesThisSecond > perSecond;
        }
    }

    /// <summary>The value of <paramref name="name"/> on <paramref name="row"/> as the API shows it.</summary>
    private string? Value(Row row, string name)
    {
        if (string.Equals(name, "hs_object_id", StringComparison.OrdinalIgnoreCase))
        {
            return row.IdText;
        }
        if (string.Equals(name, "createdate", StringComparison.OrdinalIgnoreCase))
        {
            return row.CreatedText;
        }
        if (string.Equals(name, _modifiedProperty, StringComparison.OrdinalIgnoreCase))
        {
            return row.ModifiedText;
        }
        return row.Properties.GetValueOrDefault(name);
    }

    private bool IsBookkeeping(string name) =>
        string.Equals(name, "hs_object_id", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "createdate", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, _modifiedProperty, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, UpdatedByProperty, StringComparison.OrdinalIgnoreCase);

    // ---- request parsing ---------------------------------------------------------------------------------------

    private string? ParseSearch(JsonElement root, out Search search)
    {
        search = new Search();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Invalid input JSON: expected an object";
        }
        if (root.TryGetProperty("query", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0)
        {
            return "FakeHubSpot does not implement free-text \"query\" searches.";
        }
        if (root.TryGetProperty("limit", out var limit) && limit.ValueKind != JsonValueKind.Null)
        {
            if (!TryInt(limit, out var value) || value < 1 || value > MaxSearchLimit)
            {
                return $"limit must be between 1 and {MaxSearchLimit}; got {limit.GetRawText()}";
            }
            search.Limit = value;
        }
        if (root.TryGetProperty("after", out var after) && after.ValueKind != JsonValueKind.Null)
        {
            if (!TryInt(after, out var value) || value < 0)
            {
                return $"Invalid after value: {after.GetRawText()}";
            }
            search.Offset = value;
        }
        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Array)
        {
            var names = new List<string>();
            foreach (var property in properties.EnumerateArray())
            {
                if (property.ValueKind != JsonValueKind.String)
                {
                    return "properties must be an array of property names";
                }
                names.Add(property.GetString()!);
            }
            search.Properties = names.ToArray();
        }
        if (root.TryGetProperty("sorts", out var sorts) && sorts.ValueKind == JsonValueKind.Array && sorts.GetArrayLength() > 0)
        {
            if (sorts.GetArrayLength() > 1)
            {
                return "Only one sort is allowed.";
            }
            var sort = sorts[0];
            string? name;
            var direction = "ASCENDING";
            if (sort.ValueKind == JsonValueKind.Object)
            {
                name = sort.TryGetProperty("propertyName", out var n) ? n.GetString() : null;
                if (sort.TryGetProperty("direction", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    direction = d.GetString()!;
                }
            }
            else
            {
                name = sort.ValueKind == JsonValueKind.String ? sort.GetString() : null;
            }
            if (!string.Equals(name, _modifiedProperty, StringComparison.OrdinalIgnoreCase))
            {
                return $"FakeHubSpot sorts only by {_modifiedProperty}; got {sort.GetRawText()}";
            }
            if (direction is not ("ASCENDING" or "DESCENDING"))
            {
                return $"Invalid sort direction: {direction}";
            }
            search.Descending = direction == "DESCENDING";
        }
        if (root.TryGetProperty("filterGroups", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            foreach (var group in groups.EnumerateArray())
            {
                var parsed = new FilterGroup();
                if (group.ValueKind != JsonValueKind.Object || !group.TryGetProperty("filters", out var filters) || filters.ValueKind != JsonValueKind.Array)
                {
                    return "Each filter group needs a \"filters\" array.";
                }
                foreach (var filter in filters.EnumerateArray())
                {
                    var problem = ParseFilter(filter, parsed);
                    if (problem is not null)
                    {
                        return problem;
                    }
                }
                search.Groups.Add(parsed);
            }
        }
        return null;
    }

    private string? ParseFilter(JsonElement filter, FilterGroup group)
    {
        if (filter.ValueKind != JsonValueKind.Object
            || !filter.TryGetProperty("propertyName", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
            || !filter.TryGetProperty("operator", out var opElement) || opElement.ValueKind != JsonValueKind.String)
        {
            return "Each filter needs a propertyName and an operator.";
        }
        var name = nameElement.GetString()!;
        var op = opElement.GetString()!;
        if (!filter.TryGetProperty("value", out var valueElement) || !TryText(valueElement, out var value) || value is null)
        {
            return $"The filter on {name} needs a value.";
        }
        var isModified = string.Equals(name, _modifiedProperty, StringComparison.OrdinalIgnoreCase);
        if (isModified || string.Equals(name, "createdate", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseDate(value, out var at))
            {
                return $"Invalid date value for {name}: {value} (use epoch milliseconds or ISO 8601)";
            }
            if (op is not ("EQ" or "GT" or "GTE" or "LT" or "LTE"))
            {
                return $"FakeHubSpot does not implement operator {op}.";
            }
            if (isModified)
            {
                group.Narrow(op, at);
            }
            else
            {
                group.Tests.Add(row => Compare(row.Created.CompareTo(at), op));
            }
            return null;
        }
        if (string.Equals(name, "hs_object_id", StringComparison.OrdinalIgnoreCase))
        {
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return $"Invalid value for hs_object_id: {value}";
            }
            if (op is not ("EQ" or "GT" or "GTE" or "LT" or "LTE"))
            {
                return $"FakeHubSpot does not implement operator {op}.";
            }
            group.Tests.Add(row => Compare(row.Id.CompareTo(number), op));
            return null;
        }
        if (op != "EQ")
        {
            return $"FakeHubSpot implements only EQ on {name}; got {op}.";
        }
        group.Tests.Add(row => string.Equals(Value(row, name), value, StringComparison.Ordinal));
        return null;
    }

    private string? ParseUpsertInputs(JsonElement root, List<(string Key, Dictionary<string, string?> Properties)> inputs)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return "Invalid input JSON: expected an object with an \"inputs\" array";
        }
        if (list.GetArrayLength() > MaxBatchInputs)
        {
            return $"Batch input may contain at most {MaxBatchInputs} inputs; got {list.GetArrayLength()}.";
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        foreach (var input in list.EnumerateArray())
        {
            if (input.ValueKind != JsonValueKind.Object)
            {
                return "Each input must be an object.";
            }
            if (input.TryGetProperty("idProperty", out var idProperty) && idProperty.ValueKind != JsonValueKind.Null
                && !string.Equals(idProperty.GetString(), _idProperty, StringComparison.OrdinalIgnoreCase))
            {
                return $"FakeHubSpot upserts {_objectType} only by {_idProperty}; got idProperty {idProperty.GetRawText()}.";
            }
            if (!input.TryGetProperty("id", out var idElement) || !TryText(idElement, out var key) || string.IsNullOrEmpty(key))
            {
                return "Each input needs an id (the value of the idProperty).";
            }
            var properties = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (input.TryGetProperty("properties", out var propertiesElement) && propertiesElement.ValueKind != JsonValueKind.Null)
            {
                var problem = ParseProperties(propertiesElement, out properties);
                if (problem is not null)
                {
                    return problem;
                }
            }
            if (!seen.Add(key))
            {
                duplicates.Add(key);
            }
            inputs.Add((key, properties));
        }
        return duplicates.Count > 0 ? $"Duplicate IDs found in batch input: [{string.Join(", ", duplicates)}]. IDs must be unique" : null;
    }

    private string? ParseProperties(JsonElement element, out Dictionary<string, string?> properties)
    {
        properties = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "Invalid input JSON: \"properties\" must be an object";
        }
        List<string>? readOnly = null;
        foreach (var property in element.EnumerateObject())
        {
            if (IsBookkeeping(property.Name))
            {
                (readOnly ??= []).Add(property.Name);
                continue;
            }
            if (!TryText(property.Value, out var value))
            {
                return $"Property values were not valid: [{{\"isValid\":false,\"message\":\"{property.Name} must be a string, number or boolean\",\"error\":\"INVALID_VALUE\",\"name\":\"{property.Name}\"}}]";
            }
            properties[property.Name] = value;
        }
        if (readOnly is not null)
        {
            return "Property values were not valid: [" + string.Join(",", readOnly.Select(name =>
                $"{{\"isValid\":false,\"message\":\"{name} is a read only property; its value cannot be set.\",\"error\":\"READ_ONLY_VALUE\",\"name\":\"{name}\"}}")) + "]";
        }
        return null;
    }

    private static string[]? PropertiesParameter(IQueryCollection query)
    {
        if (!query.TryGetValue("properties", out var values))
        {
            return null;
        }
        return values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
    }

    private static bool TryInt(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out value),
            JsonValueKind.String => int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static bool TryText(JsonElement value, out string? text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString();
                return true;
            case JsonValueKind.Null:
                text = null;
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            case JsonValueKind.True:
                text = "true";
                return true;
            case JsonValueKind.False:
                text = "false";
                return true;
            default:
                text = null;
                return false;
        }
    }

    /// <summary>A date filter value: epoch milliseconds or an ISO 8601 datetime (CRM API | Search: filter on date properties).</summary>
    private static bool TryParseDate(string text, out DateTime at)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epochMs))
        {
            if (epochMs is >= -62_135_596_800_000 and <= 253_402_300_799_999)
            {
                at = DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime;
                return true;
            }
            at = default;
            return false;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            at = new DateTime(parsed.UtcTicks, DateTimeKind.Utc);
            return true;
        }
        at = default;
        return false;
    }

    private static bool Compare(int order, string op) => op switch
    {
        "EQ" => order == 0,
        "GT" => order > 0,
        "GTE" => order >= 0,
        "LT" => order < 0,
        _ => order <= 0,
    };

    // ---- responses ---------------------------------------------------------------------------------------------

    /// <summary>Counts the request, then refuses it (and answers) when <see cref="FakeCrm.FailNext"/> says so or the token is wrong.</summary>
    private async Task<bool> RefusedAsync(HttpContext http)
    {
        if (CountAndTakeFailure())
        {
            switch (FailWith)
            {
                case 0:
                    http.Abort();
                    break;
                case 429:
                    await WriteRateLimitAsync(http);
                    break;
                default:
                    http.Response.StatusCode = FailWith;
                    break;
            }
            return true;
        }
        if (!string.Equals(http.Request.Headers.Authorization.ToString(), "Bearer " + Token, StringComparison.Ordinal))
        {
            await WriteErrorAsync(http, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
            return true;
        }
        return false;
    }

    private async Task<bool> WrongObjectTypeAsync(HttpContext http)
    {
        var objectType = (string)http.Request.RouteValues["objectType"]!;
        if (string.Equals(objectType, _objectType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        await WriteErrorAsync(http, 400, "VALIDATION_ERROR", $"Unable to infer object type from: {objectType}");
        return true;
    }

    private async Task WriteRateLimitAsync(HttpContext http)
    {
        using var json = StartJson(http, 429);
        json.WriteStartObject();
        json.WriteString("status", "error");
        json.WriteString("message", "You have reached your secondly limit.");
        json.WriteString("errorType", "RATE_LIMIT");
        json.WriteString("correlationId", NewCorrelationId());
        json.WriteString("policyName", "SECONDLY");
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private Task WriteNotFoundAsync(HttpContext http) => WriteErrorAsync(http, 404, "OBJECT_NOT_FOUND", "resource not found");

    private async Task WriteErrorAsync(HttpContext http, int status, string category, string message)
    {
        using var json = StartJson(http, status);
        json.WriteStartObject();
        json.WriteString("status", "error");
        json.WriteString("message", message);
        json.WriteString("correlationId", NewCorrelationId());
        json.WriteString("category", category);
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private async Task WriteSingleAsync(HttpContext http, Row row, string[]? properties)
    {
        using var json = StartJson(http, 200);
        WriteObject(json, row, properties, newFlag: null);
        await FinishAsync(http, json);
    }

    /// <summary>
    /// A CRM object: <c>id</c>, <c>properties</c> (the <paramref name="properties"/> asked for, null when unset, plus
    /// <c>hs_object_id</c>, <c>createdate</c> and the last-modified property; all of them when null), <c>createdAt</c>,
    /// <c>updatedAt</c>, <c>archived</c> (and <c>archivedAt</c>), and for batch upserts <c>new</c>.
    /// </summary>
    private void WriteObject(Utf8JsonWriter json, Row row, string[]? properties, bool? newFlag)
    {
        json.WriteStartObject();
        json.WriteString("id", row.IdText);
        json.WriteStartObject("properties");
        var wroteId = false;
        var wroteCreated = false;
        var wroteModified = false;
        if (properties is null)
        {
            foreach (var (name, value) in row.Properties)
            {
                json.WriteString(name, value);
            }
        }
        else
        {
            HashSet<string>? written = properties.Length > 1 ? new(StringComparer.OrdinalIgnoreCase) : null;
            foreach (var name in properties)
            {
                if (written is not null && !written.Add(name))
                {
                    continue;
                }
                json.WriteString(name, Value(row, name));
                wroteId |= string.Equals(name, "hs_object_id", StringComparison.OrdinalIgnoreCase);
                wroteCreated |= string.Equals(name, "createdate", StringComparison.OrdinalIgnoreCase);
                wroteModified |= string.Equals(name, _modifiedProperty, StringComparison.OrdinalIgnoreCase);
            }
        }
        if (!wroteCreated)
        {
            json.WriteString("createdate", row.CreatedText);
        }
        if (!wroteId)
        {
            json.WriteString("hs_object_id", row.IdText);
        }
        if (!wroteModified)
        {
            json.WriteString(_modifiedProperty, row.ModifiedText);
        }
        json.WriteEndObject();
        json.WriteString("createdAt", row.CreatedText);
        json.WriteString("updatedAt", row.ModifiedText);
        json.WriteBoolean("archived", row.Archived);
        if (row.ArchivedText is not null)
        {
            json.WriteString("archivedAt", row.ArchivedText);
        }
        if (newFlag is { } isNew)
        {
            json.WriteBoolean("new", isNew);
        }
        json.WriteEndObject();
    }

    private string NewCorrelationId()
    {
        var n = Interlocked.Increment(ref _lastCorrelation);
        return "00000000-0000-4000-8000-" + n.ToString("x12", CultureInfo.InvariantCulture);
    }

    private static Utf8JsonWriter StartJson(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = JsonContentType;
        return new Utf8JsonWriter(http.Response.BodyWriter, WriterOptions);
    }

    private static async Task FinishAsync(HttpContext http, Utf8JsonWriter json)
    {
        json.Flush();
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static DateTime Millis(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTime(ticks - ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private static string FormatDate(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // ---- types -------------------------------------------------------------------------------------------------

    /// <summary>One version of a record. Immutable: an edit stores a new Row, so responses can be written outside the lock.</summary>
    private sealed class Row
    {
        public Row(long id, Dictionary<string, string?> properties, DateTime created, DateTime modified, DateTime? archivedAt)
        {
            Id = id;
            IdText = id.ToString(CultureInfo.InvariantCulture);
            Properties = properties;
            Created = created;
            CreatedText = FormatDate(created);
            Modified = modified;
            ModifiedText = created == modified ? CreatedText : FormatDate(modified);
            ArchivedText = archivedAt is { } at ? FormatDate(at) : null;
        }

        private Row(DateTime modified, long id)
        {
            Id = id;
            IdText = CreatedText = ModifiedText = "";
            Properties = [];
            Modified = modified;
        }

        public long Id { get; }
        public string IdText { get; }
        public Dictionary<string, string?> Properties { get; }
        public DateTime Created { get; }
        public string CreatedText { get; }
        public DateTime Modified { get; }
        public string ModifiedText { get; }
        public string? ArchivedText { get; }
        public bool Archived => ArchivedText is not null;

        /// <summary>A bound for range look-ups in the (last-modified, id) index.</summary>
        public static Row Probe(DateTime modified, long id) => new(modified, id);
    }

    /// <summary>Search order: the last-modified property, then the numeric id.</summary>
    private sealed class RowOrder : IComparer<Row>
    {
        public static readonly RowOrder Instance = new();

        public int Compare(Row? x, Row? y)
        {
            var byModified = x!.Modified.CompareTo(y!.Modified);
            return byModified != 0 ? byModified : x.Id.CompareTo(y.Id);
        }
    }

    /// <summary>Filters AND'ed together: a range of the last-modified property (kept whole milliseconds) plus other tests.</summary>
    private sealed class FilterGroup
    {
        public DateTime Lowest { get; private set; } = DateTime.MinValue;
        public DateTime Highest { get; private set; } = DateTime.MaxValue;
        public List<Func<Row, bool>> Tests { get; } = [];

        /// <summary>Applies <paramref name="op"/> <paramref name="at"/> to the range; stamps are whole milliseconds.</summary>
        public void Narrow(string op, DateTime at)
        {
            var ticks = at.Ticks;
            var floor = ticks - ticks % TimeSpan.TicksPerMillisecond;
            var ceiling = floor == ticks ? ticks : floor + TimeSpan.TicksPerMillisecond;
            var max = DateTime.MaxValue.Ticks;
            switch (op)
            {
                case "GT":
                    Raise(ceiling == ticks ? ticks + TimeSpan.TicksPerMillisecond : ceiling);
                    break;
                case "GTE":
                    Raise(ceiling);
                    break;
                case "LT":
                    Lower(floor == ticks ? ticks - TimeSpan.TicksPerMillisecond : floor);
                    break;
                case "LTE":
                    Lower(floor);
                    break;
                default:
                    Raise(ceiling);
                    Lower(floor);
                    break;
            }

            void Raise(long lowest)
            {
                if (lowest > max)
                {
                    Lowest = DateTime.MaxValue;
                    Highest = DateTime.MinValue;
                }
                else if (lowest > Lowest.Ticks)
                {
                    Lowest = new DateTime(lowest, DateTimeKind.Utc);
                }
            }

            void Lower(long highest)
            {
                if (highest < 0)
                {
                    Lowest = DateTime.MaxValue;
                    Highest = DateTime.MinValue;
                }
                else if (highest < Highest.Ticks)
                {
                    Highest = new DateTime(highest, DateTimeKind.Utc);
                }
            }
        }
    }

    /// <summary>A parsed search request.</summary>
    private sealed class Search
    {
        public List<FilterGroup> Groups { get; } = [];
        public string[]? Properties { get; set; }
        public int Limit { get; set; } = 10;
        public int Offset { get; set; }
        public bool Descending { get; set; }

        /// <summary>The smallest range of the last-modified property that holds every group's matches.</summary>
        public (DateTime Lowest, DateTime Highest) Hull()
        {
            if (Groups.Count == 0)
            {
                return (DateTime.MinValue, DateTime.MaxValue);
            }
            var lowest = DateTime.MaxValue;
            var highest = DateTime.MinValue;
            foreach (var group in Groups)
            {
                if (group.Lowest <= group.Highest)
                {
                    lowest = group.Lowest < lowest ? group.Lowest : lowest;
                    highest = group.Highest > highest ? group.Highest : highest;
                }
            }
            return (lowest, highest);
        }

        public bool Matches(Row row)
        {
            if (Groups.Count == 0)
            {
                return true;
            }
            foreach (var group in Groups)
            {
                if (row.Modified >= group.Lowest && row.Modified <= group.Highest && group.Tests.TrueForAll(test => test(row)))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
