using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
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
/// An in-memory stand-in for one Salesforce object (sObject) behind the Salesforce REST API, version 60.0, following
/// the shapes published in the <i>REST API Developer Guide</i>:
/// <list type="bullet">
/// <item><b>Query</b> / <b>QueryAll</b> (<c>GET /services/data/v60.0/query?q=</c>, <c>/queryAll?q=</c>) with the
/// <b>Query Options Header</b> (<c>Sforce-Query-Options: batchSize=N</c>, 200..2000, default 2000) and
/// <b>Query More Results</b> / <b>QueryAll More Results</b> (<c>GET .../query/{locator}</c> or <c>.../queryAll/{locator}</c>;
/// a QueryAll's <c>nextRecordsUrl</c> says <c>query</c>, and either resource serves it). The result set is fixed when
/// the query runs (a server-side cursor); a user has at most 10 open cursors and opening another releases the oldest
/// (<i>SOQL and SOSL Reference</i>: query cursor limits).</item>
/// <item><b>sObject Rows by External ID</b> / <b>Insert or Update (Upsert) a Record Using an External ID</b>:
/// <c>PATCH .../sobjects/{Object}/{Field}/{value}</c> answers 201 with <c>created:true</c> when it creates and, since
/// API 46.0, 200 with <c>created:false</c> when it updates; <c>DELETE</c> on the same path soft-deletes (204), and
/// <c>GET</c> reads.</item>
/// <item><b>sObject Rows</b>: <c>GET .../sobjects/{Object}/{Id}</c>.</item>
/// <item><b>Status Codes and Error Responses</b>: errors are <c>[{"message":"…","errorCode":"…"}]</c>; 401
/// <c>INVALID_SESSION_ID</c> without a valid bearer token; 403 <c>REQUEST_LIMIT_EXCEEDED</c> when the org's API
/// request limit is spent (<b>API Request Limits and Allocations</b>).</item>
/// </list>
/// Records carry Salesforce's system fields <c>Id</c>, <c>IsDeleted</c>, <c>CreatedDate</c>, <c>SystemModstamp</c>
/// and <c>LastModifiedById</c>; every other field is a string or null. Deleted records stay (in the "recycle bin") with
/// <c>IsDeleted = true</c> so that QueryAll still finds them. SOQL is limited to the one shape an incremental sync
/// needs; see <see cref="Map"/>. Thread-safe; timestamps come from <see cref="FakeCrm.Clock"/>.
/// </summary>
public sealed partial class FakeSalesforce : FakeCrm
{
    /// <summary>The API version path every route lives under.</summary>
    public const string BasePath = "/services/data/v60.0";

    /// <summary><c>LastModifiedById</c> of edits made by a person in Salesforce's UI (<see cref="Put"/>, <see cref="Delete"/>).</summary>
    public const string HumanUserId = "005000000000000AAA";

    /// <summary><c>LastModifiedById</c> of writes made through the REST API (the integration user).</summary>
    public const string ApiUserId = "005000000000001AAA";

    private const string JsonContentType = "application/json;charset=UTF-8";
    private const int DefaultBatchSize = 2000;
    private const int MinBatchSize = 200;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] SystemFields = ["Id", "IsDeleted", "CreatedDate", "SystemModstamp", "LastModifiedById"];
    private static readonly Row MaxProbe = Row.Probe(DateTime.MaxValue, "\uffff");

    private readonly string _objectName;
    private readonly string _externalIdField;
    private readonly string _keyPrefix;
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly SortedSet<Row> _bySystemModstamp = new(RowOrder.Instance);
    private readonly Dictionary<string, string> _idByExternalId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _fieldNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _cursorAge = new();
    private long _lastId;
    private long _lastCursor;
    private int _live;

    /// <summary>A fake org holding records of <paramref name="objectName"/>, upserted by <paramref name="externalIdField"/>.</summary>
    public FakeSalesforce(string objectName = "Account", string externalIdField = "Switchboard_Id__c")
    {
        _objectName = objectName;
        _externalIdField = externalIdField;
        _keyPrefix = objectName.ToUpperInvariant() switch
        {
            "ACCOUNT" => "001",
            "CONTACT" => "003",
            "OPPORTUNITY" => "006",
            "LEAD" => "00Q",
            "CASE" => "500",
            _ => "a00",
        };
        foreach (var name in SystemFields)
        {
            _fieldNames[name] = name;
        }
        _fieldNames[externalIdField] = externalIdField;
    }

    /// <summary>
    /// How <see cref="FakeCrm.FailNext"/> refuses: 403 (the default) is Salesforce's <c>REQUEST_LIMIT_EXCEEDED</c>; 503 is
    /// <c>SERVER_UNAVAILABLE</c>; 500 is <c>UNKNOWN_EXCEPTION</c>; 0 drops the connection without an answer; any other
    /// status is sent with an empty body.
    /// </summary>
    public int FailWith { get; set; } = 403;

    /// <summary>While set, writes (PATCH, DELETE) are answered 503 <c>SERVER_UNAVAILABLE</c>: the CRM keeps what it has while reads go on.</summary>
    public bool RefuseWrites { get; set; }

    /// <summary>
    /// The most query cursors open at once; opening another releases the oldest, whose locator then answers
    /// <c>INVALID_QUERY_LOCATOR</c>. Salesforce allows 10 per user.
    /// </summary>
    public int MaxOpenCursors { get; set; } = 10;

    /// <summary>Live (not deleted) records.</summary>
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

    /// <summary>The ids of the live (not deleted) records, in id order.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (Gate)
            {
                return _rows.Values.Where(r => !r.IsDeleted).Select(r => r.Id).Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>
    /// As a person editing in Salesforce's UI: creates a record (a new id, or <paramref name="id"/> when it names no
    /// record) or updates one, merging <paramref name="fields"/> (system fields among them are ignored; restoring a
    /// deleted record undeletes it). <c>SystemModstamp</c> becomes <paramref name="modifiedAt"/> ?? <see cref="FakeCrm.Clock"/>
    /// (an earlier stamp stands for a transaction that committed late), <c>LastModifiedById</c> becomes
    /// <see cref="HumanUserId"/>. The external id field is unique: a value another live record holds throws.
    /// </summary>
    /// <returns>The record's id.</returns>
    public string Put(IReadOnlyDictionary<string, string?> fields, string? id = null, DateTimeOffset? modifiedAt = null)
    {
        lock (Gate)
        {
            var stamp = Millis(modifiedAt ?? Clock());
            Row? old = null;
            if (id is not null)
            {
                _rows.TryGetValue(id, out old);
            }
            var merged = old is null
                ? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string?>(old.Fields, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in fields)
            {
                if (!IsSystemField(name))
                {
                    merged[name] = value;
                }
            }
            id ??= NewId();
            merged.TryGetValue(_externalIdField, out var externalId);
            if (externalId is not null && _idByExternalId.TryGetValue(externalId, out var holder) && holder != id)
            {
                throw new InvalidOperationException($"{_externalIdField} '{externalId}' is already held by {holder}.");
            }
            Store(old, new Row(id, merged, stamp, old?.Created ?? stamp, HumanUserId, isDeleted: false));
            return id;
        }
    }

    /// <summary>
    /// As a person in Salesforce's UI: deletes the record (to the recycle bin: <c>IsDeleted = true</c>,
    /// <c>SystemModstamp</c> = <see cref="FakeCrm.Clock"/>), so that QueryAll still returns it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No live record has that id.</exception>
    public void Delete(string id)
    {
        lock (Gate)
        {
            var stamp = Millis(Clock());
            if (!_rows.TryGetValue(id, out var old) || old.IsDeleted)
            {
                throw new KeyNotFoundException($"No live {_objectName} {id}.");
            }
            Store(old, new Row(id, old.Fields, stamp, old.Created, HumanUserId, isDeleted: true));
        }
    }

    /// <summary>A copy of a live record's fields, system fields included (datetimes in Salesforce's format); null when absent or deleted.</summary>
    public IReadOnlyDictionary<string, string?>? Get(string id)
    {
        lock (Gate)
        {
            if (!_rows.TryGetValue(id, out var row) || row.IsDeleted)
            {
                return null;
            }
            var copy = new Dictionary<string, string?>(row.Fields, StringComparer.OrdinalIgnoreCase)
            {
                ["Id"] = row.Id,
                ["IsDeleted"] = "false",
                ["CreatedDate"] = row.CreatedText,
                ["SystemModstamp"] = row.ModstampText,
                ["LastModifiedById"] = row.LastModifiedById,
            };
            return copy;
        }
    }

    /// <summary>
    /// Maps the REST routes under <see cref="BasePath"/>. SOQL is understood in exactly this form (keywords in any case,
    /// any whitespace): <c>SELECT f[, f…] FROM Object [WHERE SystemModstamp (&gt;=|&gt;) datetime] ORDER BY
    /// SystemModstamp [ASC], Id [ASC] [LIMIT n]</c>, the datetime a SOQL literal (<c>2026-11-26T03:00:00Z</c>, with
    /// optional <c>.fff</c> and a <c>Z</c>, <c>+hh:mm</c> or <c>+hhmm</c> zone); anything else is
    /// <c>MALFORMED_QUERY</c>. Any other path under <see cref="BasePath"/> answers 404 <c>NOT_FOUND</c>.
    /// </summary>
    public override void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(BasePath + "/query", http => QueryAsync(http, includeDeleted: false));
        app.MapGet(BasePath + "/queryAll", http => QueryAsync(http, includeDeleted: true));
        app.MapGet(BasePath + "/query/{locator}", QueryMoreAsync);
        app.MapGet(BasePath + "/queryAll/{locator}", QueryMoreAsync);
        app.MapGet(BasePath + "/sobjects/{sobject}/{id}", ReadByIdAsync);
        app.MapMethods(BasePath + "/sobjects/{sobject}/{id}", ["PATCH"], UpdateByIdAsync);
        app.MapMethods(BasePath + "/sobjects/{sobject}/{field}/{value}", ["GET", "PATCH", "DELETE"], ByExternalIdAsync);
        app.Map(BasePath + "/{**rest}", NotFoundAsync);
    }

    // ---- routes ----------------------------------------------------------------------------------------------

    private async Task QueryAsync(HttpContext http, bool includeDeleted)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        var q = http.Request.Query["q"].ToString();
        if (q.Length == 0)
        {
            await WriteErrorAsync(http, 400, "MALFORMED_QUERY", "A query string has to be specified");
            return;
        }
        var match = SoqlPattern().Match(q);
        if (!match.Success)
        {
            await WriteErrorAsync(http, 400, "MALFORMED_QUERY",
                "FakeSalesforce understands only SELECT fields FROM Object [WHERE SystemModstamp >= datetime] ORDER BY SystemModstamp, Id [LIMIT n]; got: " + q);
            return;
        }
        var objectName = match.Groups["object"].Value;
        if (!string.Equals(objectName, _objectName, StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(http, 400, "INVALID_TYPE",
                $"sObject type '{objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
            return;
        }
        DateTime? from = null;
        if (match.Groups["at"].Success)
        {
            if (!TryParseSoqlDateTime(match.Groups["at"].Value, out var at))
            {
                await WriteErrorAsync(http, 400, "MALFORMED_QUERY", $"line 1: invalid datetime literal: {match.Groups["at"].Value}");
                return;
            }
            // Stamps are whole milliseconds, so "> t" is ">= the next millisecond after t".
            from = match.Groups["op"].Value == ">" ? at.AddTicks(TimeSpan.TicksPerMillisecond) : at;
        }
        var limit = int.MaxValue;
        if (match.Groups["limit"].Success && !int.TryParse(match.Groups["limit"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            await WriteErrorAsync(http, 400, "MALFORMED_QUERY", "invalid LIMIT");
            return;
        }
        var requested = match.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries);
        if (requested.Distinct(StringComparer.OrdinalIgnoreCase).Count() != requested.Length)
        {
            var duplicate = requested.GroupBy(f => f, StringComparer.OrdinalIgnoreCase).First(g => g.Count() > 1).Key;
            await WriteErrorAsync(http, 400, "MALFORMED_QUERY", $"duplicate field selected: {duplicate}");
            return;
        }
        var batchSize = BatchSize(http.Request.Headers["Sforce-Query-Options"].ToString());

        Row[] rows;
        string[] fields;
        string? cursorId = null;
        lock (Gate)
        {
            fields = Array.ConvertAll(requested, f => _fieldNames.TryGetValue(f, out var canonical) ? canonical : f);
            var found = new List<Row>();
            IEnumerable<Row> range = from is { } lower ? _bySystemModstamp.GetViewBetween(Row.Probe(lower, ""), MaxProbe) : _bySystemModstamp;
            foreach (var row in range)
            {
                if (found.Count >= limit)
                {
                    break;
                }
                if (includeDeleted || !row.IsDeleted)
                {
                    found.Add(row);
                }
            }
            rows = found.ToArray();
            if (rows.Length > batchSize)
            {
                cursorId = OpenCursor(new Cursor(rows, fields, batchSize));
            }
        }
        await WritePageAsync(http, rows, fields, 0, batchSize, cursorId);
    }

    private async Task QueryMoreAsync(HttpContext http)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        var locator = (string)http.Request.RouteValues["locator"]!;
        var dash = locator.LastIndexOf('-');
        Cursor? cursor = null;
        var offset = 0;
        var cursorId = dash > 0 ? locator[..dash] : locator;
        lock (Gate)
        {
            if (dash > 0
                && int.TryParse(locator.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && _cursors.TryGetValue(cursorId, out var open)
                && offset > 0 && offset < open.Rows.Length)
            {
                cursor = open;
                if (offset + cursor.BatchSize >= cursor.Rows.Length)
                {
                    CloseCursor(cursorId);
                }
            }
        }
        if (cursor is null)
        {
            await WriteErrorAsync(http, 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
            return;
        }
        await WritePageAsync(http, cursor.Rows, cursor.Fields, offset, cursor.BatchSize, cursorId);
    }

    private async Task ReadByIdAsync(HttpContext http)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        Row? row = null;
        if (IsOurObject(http))
        {
            lock (Gate)
            {
                _rows.TryGetValue((string)http.Request.RouteValues["id"]!, out row);
            }
        }
        if (row is null || row.IsDeleted)
        {
            await WriteErrorAsync(http, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }
        await WriteRecordAsync(http, 200, row);
    }

    private async Task ByExternalIdAsync(HttpContext http)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        if (!IsOurObject(http))
        {
            await WriteErrorAsync(http, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }
        var field = (string)http.Request.RouteValues["field"]!;
        var value = (string)http.Request.RouteValues["value"]!;
        if (!string.Equals(field, _externalIdField, StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(http, 404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}");
            return;
        }
        switch (http.Request.Method)
        {
            case "PATCH":
                await UpsertAsync(http, value);
                return;
            case "DELETE":
                await DeleteByExternalIdAsync(http, value);
                return;
            default:
                Row? row = null;
                lock (Gate)
                {
                    if (_idByExternalId.TryGetValue(value, out var id))
                    {
                        row = _rows[id];
                    }
                }
                if (row is null)
                {
                    await WriteErrorAsync(http, 404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {value}");
                    return;
                }
                await WriteRecordAsync(http, 200, row);
                return;
        }
    }

    /// <summary>The fields a write sets, or null when the body was refused (and answered: JSON_PARSER_ERROR, INVALID_FIELD_FOR_INSERT_UPDATE).</summary>
    private async Task<Dictionary<string, string?>?> ReadChangesAsync(HttpContext http)
    {
        var changes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                await WriteErrorAsync(http, 400, "JSON_PARSER_ERROR",
                    $"Cannot deserialize instance of {_objectName} from {body.RootElement.ValueKind} value at [line:1, column:1]");
                return null;
            }
            List<string>? readOnly = null;
            foreach (var property in body.RootElement.EnumerateObject())
            {
                if (property.NameEquals("attributes") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    continue; // {"attributes":{"type":"Account"}} is allowed in request bodies
                }
                if (IsSystemField(property.Name))
                {
                    (readOnly ??= []).Add(property.Name);
                    continue;
                }
                if (!TryText(property.Value, out var text))
                {
                    await WriteErrorAsync(http, 400, "JSON_PARSER_ERROR",
                        $"Cannot deserialize instance of string from {property.Value.ValueKind} value for field {property.Name}");
                    return null;
                }
                changes[property.Name] = text;
            }
            if (readOnly is not null)
            {
                await WriteErrorAsync(http, 400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                    $"Unable to create/update fields: {string.Join(", ", readOnly)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    readOnly);
                return null;
            }
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(http, 400, "JSON_PARSER_ERROR", e.Message);
            return null;
        }
        return changes;
    }

    /// <summary>
    /// Update a record by its id (<c>PATCH /sobjects/{Object}/{id}</c>): the given fields merged, 204 No Content;
    /// 404 <c>NOT_FOUND</c> when there is no live record; an external id another record holds is 400 <c>DUPLICATE_VALUE</c>.
    /// </summary>
    private async Task UpdateByIdAsync(HttpContext http)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        if (await ReadChangesAsync(http) is not { } changes)
        {
            return;
        }
        var id = (string)http.Request.RouteValues["id"]!;
        var outcome = 204;
        lock (Gate)
        {
            if (!IsOurObject(http) || !_rows.TryGetValue(id, out var old) || old.IsDeleted)
            {
                outcome = 404;
            }
            else if (changes.TryGetValue(_externalIdField, out var external) && external is not null
                && _idByExternalId.TryGetValue(external, out var holder) && holder != id)
            {
                outcome = 400;
            }
            else
            {
                var merged = new Dictionary<string, string?>(old.Fields, StringComparer.OrdinalIgnoreCase);
                foreach (var (name, text) in changes)
                {
                    merged[name] = text;
                }
                UpsertedValues.Add(merged.GetValueOrDefault(_externalIdField) ?? id);
                Store(old, new Row(id, merged, Millis(Clock()), old.Created, ApiUserId, isDeleted: false));
            }
        }
        switch (outcome)
        {
            case 404:
                await WriteErrorAsync(http, 404, "NOT_FOUND", "The requested resource does not exist");
                break;
            case 400:
                await WriteErrorAsync(http, 400, "DUPLICATE_VALUE", $"duplicate value found: {_externalIdField} duplicates value on another record");
                break;
            default:
                http.Response.StatusCode = 204;
                break;
        }
    }

    private async Task UpsertAsync(HttpContext http, string externalId)
    {
        if (await ReadChangesAsync(http) is not { } changes)
        {
            return;
        }
        changes[_externalIdField] = externalId;

        string id;
        bool created;
        lock (Gate)
        {
            // Stamped inside the lock: API writes become visible in SystemModstamp order (no accidental late commits).
            var stamp = Millis(Clock());
            UpsertedValues.Add(externalId);
            Row? old = null;
            if (_idByExternalId.TryGetValue(externalId, out var existing))
            {
                old = _rows[existing];
            }
            created = old is null;
            id = old?.Id ?? NewId();
            var merged = old is null ? changes : new Dictionary<string, string?>(old.Fields, StringComparer.OrdinalIgnoreCase);
            if (old is not null)
            {
                foreach (var (name, text) in changes)
                {
                    merged[name] = text;
                }
            }
            Store(old, new Row(id, merged, stamp, old?.Created ?? stamp, ApiUserId, isDeleted: false));
        }
        using var json = StartJson(http, created ? 201 : 200);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteBoolean("success", true);
        json.WriteStartArray("errors");
        json.WriteEndArray();
        json.WriteBoolean("created", created);
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private async Task DeleteByExternalIdAsync(HttpContext http, string externalId)
    {
        var deleted = false;
        lock (Gate)
        {
            if (_idByExternalId.TryGetValue(externalId, out var id))
            {
                var stamp = Millis(Clock());
                var old = _rows[id];
                Store(old, new Row(id, old.Fields, stamp, old.Created, ApiUserId, isDeleted: true));
                deleted = true;
            }
        }
        if (!deleted)
        {
            await WriteErrorAsync(http, 404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {externalId}");
            return;
        }
        http.Response.StatusCode = 204;
    }

    private async Task NotFoundAsync(HttpContext http)
    {
        if (await RefusedAsync(http))
        {
            return;
        }
        await WriteErrorAsync(http, 404, "NOT_FOUND", "The requested resource does not exist");
    }

    // ---- state (callers hold Gate) ----------------------------------------------------------------------------

    private void Store(Row? old, Row row)
    {
        if (old is not null)
        {
            _live -= old.IsDeleted ? 0 : 1;
            _bySystemModstamp.Remove(old);
            if (!old.IsDeleted && old.Fields.TryGetValue(_externalIdField, out var oldExternalId) && oldExternalId is not null)
            {
                _idByExternalId.Remove(oldExternalId);
            }
        }
        _live += row.IsDeleted ? 0 : 1;
        _rows[row.Id] = row;
        _bySystemModstamp.Add(row);
        if (!row.IsDeleted && row.Fields.TryGetValue(_externalIdField, out var externalId) && externalId is not null)
        {
            _idByExternalId[externalId] = row.Id;
        }
        foreach (var name in row.Fields.Keys)
        {
            _fieldNames.TryAdd(name, name);
        }
    }

    private string NewId()
    {
        string id;
        do
        {
            id = _keyPrefix + (++_lastId).ToString("D12", CultureInfo.InvariantCulture) + "AAA";
        }
        while (_rows.ContainsKey(id));
        return id;
    }

    private string OpenCursor(Cursor cursor)
    {
        var id = "01gFAKE" + (++_lastCursor).ToString(CultureInfo.InvariantCulture);
        _cursors[id] = cursor;
        cursor.Age = _cursorAge.AddLast(id);
        while (_cursors.Count > Math.Max(1, MaxOpenCursors))
        {
            CloseCursor(_cursorAge.First!.Value);
        }
        return id;
    }

    private void CloseCursor(string id)
    {
        if (_cursors.Remove(id, out var cursor))
        {
            _cursorAge.Remove(cursor.Age!);
        }
    }

    // ---- HTTP helpers ------------------------------------------------------------------------------------------

    /// <summary>Counts the request, then refuses it (and answers) when <see cref="FakeCrm.FailNext"/> or <see cref="FakeCrm.FailAfter"/> says so, writes are refused, or the token is wrong.</summary>
    private async Task<bool> RefusedAsync(HttpContext http)
    {
        var refused = CountAndTakeFailure();
        if (!refused && RefuseWrites && http.Request.Method is "PATCH" or "DELETE" or "POST")
        {
            await WriteErrorAsync(http, 503, "SERVER_UNAVAILABLE", "Server unavailable");
            return true;
        }
        if (refused)
        {
            switch (FailWith)
            {
                case 0:
                    http.Abort();
                    break;
                case 403:
                    await WriteErrorAsync(http, 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
                    break;
                case 500:
                    await WriteErrorAsync(http, 500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (0000000000)");
                    break;
                case 503:
                    await WriteErrorAsync(http, 503, "SERVER_UNAVAILABLE", "Server unavailable");
                    break;
                default:
                    http.Response.StatusCode = FailWith;
                    break;
            }
            return true;
        }
        if (!string.Equals(http.Request.Headers.Authorization.ToString(), "Bearer " + Token, StringComparison.Ordinal))
        {
            await WriteErrorAsync(http, 401, "INVALID_SESSION_ID", "Session expired or invalid");
            return true;
        }
        return false;
    }

    private bool IsOurObject(HttpContext http) =>
        string.Equals((string)http.Request.RouteValues["sobject"]!, _objectName, StringComparison.OrdinalIgnoreCase);

    private async Task WritePageAsync(HttpContext http, Row[] rows, string[] fields, int offset, int batchSize, string? cursorId)
    {
        var end = Math.Min(rows.Length, offset + batchSize);
        var done = end >= rows.Length;
        using var json = StartJson(http, 200);
        json.WriteStartObject();
        json.WriteNumber("totalSize", rows.Length);
        json.WriteBoolean("done", done);
        if (!done)
        {
            json.WriteString("nextRecordsUrl", $"{BasePath}/query/{cursorId}-{end.ToString(CultureInfo.InvariantCulture)}");
        }
        json.WriteStartArray("records");
        for (var i = offset; i < end; i++)
        {
            var row = rows[i];
            json.WriteStartObject();
            WriteAttributes(json, row.Id);
            foreach (var field in fields)
            {
                WriteField(json, row, field);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private async Task WriteRecordAsync(HttpContext http, int status, Row row)
    {
        using var json = StartJson(http, status);
        json.WriteStartObject();
        WriteAttributes(json, row.Id);
        json.WriteString("Id", row.Id);
        foreach (var (name, value) in row.Fields)
        {
            json.WriteString(name, value);
        }
        json.WriteBoolean("IsDeleted", row.IsDeleted);
        json.WriteString("CreatedDate", row.CreatedText);
        json.WriteString("LastModifiedById", row.LastModifiedById);
        json.WriteString("SystemModstamp", row.ModstampText);
        json.WriteEndObject();
        await FinishAsync(http, json);
    }

    private void WriteAttributes(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject("attributes");
        json.WriteString("type", _objectName);
        json.WriteString("url", $"{BasePath}/sobjects/{_objectName}/{id}");
        json.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter json, Row row, string field)
    {
        switch (field)
        {
            case "Id":
                json.WriteString(field, row.Id);
                break;
            case "SystemModstamp":
                json.WriteString(field, row.ModstampText);
                break;
            case "CreatedDate":
                json.WriteString(field, row.CreatedText);
                break;
            case "LastModifiedById":
                json.WriteString(field, row.LastModifiedById);
                break;
            case "IsDeleted":
                json.WriteBoolean(field, row.IsDeleted);
                break;
            default:
                json.WriteString(field, row.Fields.GetValueOrDefault(field));
                break;
        }
    }

    private static async Task WriteErrorAsync(HttpContext http, int status, string errorCode, string message, IReadOnlyList<string>? fields = null)
    {
        using var json = StartJson(http, status);
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("message", message);
        json.WriteString("errorCode", errorCode);
        if (fields is not null)
        {
            json.WriteStartArray("fields");
            foreach (var field in fields)
            {
                json.WriteStringValue(field);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndArray();
        await FinishAsync(http, json);
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

    // ---- parsing -----------------------------------------------------------------------------------------------

    /// <summary><c>Sforce-Query-Options: batchSize=N</c>, kept within Salesforce's documented 200..2000.</summary>
    private static int BatchSize(string options)
    {
        foreach (var option in options.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0
                && option.AsSpan(0, eq).Trim().Equals("batchSize", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(option.AsSpan(eq + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Math.Clamp(size, MinBatchSize, DefaultBatchSize);
            }
        }
        return DefaultBatchSize;
    }

    /// <summary>A SOQL datetime literal (<i>SOQL and SOSL Reference</i>: Date Formats and Date Literals), to UTC milliseconds.</summary>
    private static bool TryParseSoqlDateTime(string literal, out DateTime at)
    {
        var text = literal.ToUpperInvariant();
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^3] != ':')
        {
            text = text[..^2] + ":" + text[^2..]; // +0000 -> +00:00
        }
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            at = Millis(parsed);
            return true;
        }
        at = default;
        return false;
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

    private static bool IsSystemField(string name) => Array.Exists(SystemFields, f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));

    private static DateTime Millis(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTime(ticks - ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private static string Format(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    [GeneratedRegex("""
        ^\s*SELECT\s+(?<fields>\w+(\s*,\s*\w+)*)\s+FROM\s+(?<object>\w+)
        (\s+WHERE\s+SystemModstamp\s*(?<op>>=|>)\s*(?<at>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})))?
        \s+ORDER\s+BY\s+SystemModstamp(\s+ASC)?\s*,\s*Id(\s+ASC)?
        (\s+LIMIT\s+(?<limit>\d{1,9}))?\s*$
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SoqlPattern();

    // ---- types -------------------------------------------------------------------------------------------------

    /// <summary>One version of a record. Immutable: an edit stores a new Row, so pages already queued keep what they saw.</summary>
    private sealed class Row
    {
        public Row(string id, Dictionary<string, string?> fields, DateTime modstamp, DateTime created, string lastModifiedById, bool isDeleted)
        {
            Id = id;
            Fields = fields;
            Modstamp = modstamp;
            ModstampText = Format(modstamp);
            Created = created;
            CreatedText = created == modstamp ? ModstampText : Format(created);
            LastModifiedById = lastModifiedById;
            IsDeleted = isDeleted;
        }

        private Row(DateTime modstamp, string id)
        {
            Id = id;
            Fields = [];
            Modstamp = modstamp;
            ModstampText = CreatedText = LastModifiedById = "";
        }

        public string Id { get; }
        public Dictionary<string, string?> Fields { get; }
        public DateTime Modstamp { get; }
        public string ModstampText { get; }
        public DateTime Created { get; }
        public string CreatedText { get; }
        public string LastModifiedById { get; }
        public bool IsDeleted { get; }

        /// <summary>A bound for range look-ups in the (SystemModstamp, Id) index.</summary>
        public static Row Probe(DateTime modstamp, string id) => new(modstamp, id);
    }

    /// <summary>SOQL's <c>ORDER BY SystemModstamp, Id</c>.</summary>
    private sealed class RowOrder : IComparer<Row>
    {
        public static readonly RowOrder Instance = new();

        public int Compare(Row? x, Row? y)
        {
            var byStamp = x!.Modstamp.CompareTo(y!.Modstamp);
            return byStamp != 0 ? byStamp : string.CompareOrdinal(x.Id, y.Id);
        }
    }

    /// <summary>A query's result set, fixed when it ran, served a batch at a time.</summary>
    private sealed class Cursor(Row[] rows, string[] fields, int batchSize)
    {
        public Row[] Rows { get; } = rows;
        public string[] Fields { get; } = fields;
        public int BatchSize { get; } = batchSize;
        public LinkedListNode<string>? Age { get; set; }
    }
}
