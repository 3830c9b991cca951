using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Customers;
using Switchboard.Core.Security;
using Switchboard.Data;
using Switchboard.Security;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Security;

/// <summary>
/// The authorization matrix, generated from the OpenAPI document: every operation × every role (and no credential) ×
/// the caller's own customer and someone else's. Each cell expects what Security/Access.cs and
/// Core/Security/Clearance.cs say — denied (403, no data in the body), not found (404 for a customer the role may not
/// open, the same body as for an id that exists nowhere), or allowed, shaped (masked number, withheld amounts and
/// complaint) and audited. A new endpoint joins the matrix by being in the document.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Number = "13812348000";
    private const string Masked = "138****8000";
    private const decimal OrderAmount = 4321.75m;
    private const string Complaint = "regulator";

    /// <summary>A customer with one record of every kind, and their ids by the route segment that reaches them.</summary>
    private sealed record Fixture(Guid CustomerId, IReadOnlyDictionary<string, Guid> Records);

    [Fact]
    public async Task EveryOperation_ForEveryRole_OnOwnAndForeignCustomers_IsAllowedShapedAndAudited_OrDenied()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _store = store;
        using var _app = app;

        var keys = new Dictionary<Role, string>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var identities = scope.ServiceProvider.GetRequiredService<IdentityStore>();
            foreach (var role in Enum.GetValues<Role>())
            {
                keys[role] = (await identities.CreateApiKeyAsync(KeyName(role), role, null, Ct)).Value.Key;
            }
        }
        var own = new Dictionary<Role, Fixture>();
        foreach (var role in Enum.GetValues<Role>())
        {
            own[role] = await CreateCustomerAsync(admin, KeyName(role));
        }
        // Someone else's customer: not owned by any matrix key, and found by none of the matrix's searches (by name, by number).
        var foreign = await CreateCustomerAsync(admin, "someone-else", "Zed Other", "13987654321");

        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json", Ct))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Method: op.Key.ToUpperInvariant(), Path: path.Key,
                // The body goes in the first media type the operation takes (routing answers 415 before anything else otherwise).
                MediaType: op.Value!["requestBody"]?["content"]?.AsObject().Select(c => c.Key).FirstOrDefault() ?? "application/json")))
            .Where(op => op.Path.StartsWith("/api/v1/", StringComparison.Ordinal))
            .ToList();
        Assert.True(operations.Count > 40, $"only {operations.Count} operations in the document");

        var failures = new List<string>();
        var cells = 0;
        foreach (var (method, path, mediaType) in operations)
        {
            var policy = Access.PolicyFor(method, path["/api/v1".Length..]);
            var scoped = IsCustomerScoped(path);

            // No credential: only the open endpoints answer anything but 401.
            using (var anonymous = await SendAsync(app, null, method, Url(path, own[Role.Admin], foreign, own: true), mediaType))
            {
                cells++;
                if (policy is not null && anonymous.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{method} {path} without credentials: {(int)anonymous.StatusCode}, expected 401");
                }
            }

            foreach (var role in Enum.GetValues<Role>())
            {
                foreach (var mine in scoped ? new[] { true, false } : [true])
                {
                    cells++;
                    var cell = $"{method} {path} as {role} on {(mine ? "own" : "foreign")}";
                    var url = Url(path, own[role], foreign, mine);
                    var auditedBefore = mine && scoped ? await ReadsAsync(app, KeyName(role), own[role].CustomerId) : 0;
                    using var response = await SendAsync(app, keys[role], method, url, mediaType);
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    var allowed = policy is null || Access.Roles[policy].Contains(role);
                    if (!allowed)
                    {
                        if (response.StatusCode != HttpStatusCode.Forbidden)
                        {
                            failures.Add($"{cell}: {(int)response.StatusCode}, expected 403");
                        }
                        else if (WithoutTrace(body) is var refusal // a trace id is random hex, and may hold any four digits
                                 && (refusal.Contains("Matrix", StringComparison.Ordinal) || refusal.Contains("Zed", StringComparison.Ordinal) || refusal.Contains("8000", StringComparison.Ordinal)))
                        {
                            failures.Add($"{cell}: 403 with customer data in the body");
                        }
                        continue;
                    }
                    // A write the role may make, with a field it may not write (WriteClearance: no blind writes), is refused field by field.
                    var fieldRefusal = response.StatusCode == HttpStatusCode.Forbidden && body.Contains("\"code\":\"field.forbidden\"", StringComparison.Ordinal);
                    var hidden = scoped && !mine && !Clearance.AllCustomers(role); // not found comes first: nothing about the record is judged
                    if (fieldRefusal != (WriteRefused(method, path, role) && !hidden))
                    {
                        failures.Add($"{cell}: field.forbidden {(fieldRefusal ? "given" : "not given")}, WriteClearance says otherwise: {body}");
                        continue;
                    }
                    // Open endpoints prove their caller themselves (a webhook's signature, a password): their 401 is theirs to give.
                    if ((response.StatusCode == HttpStatusCode.Forbidden && !fieldRefusal) || (policy is not null && response.StatusCode == HttpStatusCode.Unauthorized))
                    {
                        failures.Add($"{cell}: {(int)response.StatusCode}, expected to be allowed: {body}");
                        continue;
                    }
                    if (hidden)
                    {
                        // Someone else's customer does not exist for this role: the same answer as an id that exists nowhere.
                        using var nowhere = await SendAsync(app, keys[role], method, Url(path, own[role], foreign, mine, nowhere: true), mediaType);
                        var expected = WithoutTrace(await nowhere.Content.ReadAsStringAsync(Ct));
                        if (response.StatusCode != HttpStatusCode.NotFound || WithoutTrace(body) != expected)
                        {
                            failures.Add($"{cell}: {(int)response.StatusCode} {body}, expected the not-found answer {expected}");
                        }
                        continue;
                    }
                    if (method == "GET" && response.StatusCode == HttpStatusCode.OK && scoped)
                    {
                        failures.AddRange(ShapeProblems(cell, role, body));
                        if (mine && await ReadsAsync(app, KeyName(role), own[role].CustomerId) <= auditedBefore)
                        {
                            failures.Add($"{cell}: customer data sent, no read in the audit trail");
                        }
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cells} cells wrong:\n" + string.Join('\n', failures));
    }

    /// <summary>What a role not cleared for a datum must not see in a response (and, for numbers, what it sees instead).</summary>
    private static IEnumerable<string> ShapeProblems(string cell, Role role, string body)
    {
        if (!Clearance.FullNumbers(role) && body.Contains(Number, StringComparison.Ordinal))
        {
            yield return $"{cell}: the full number was sent";
        }
        if (Clearance.FullNumbers(role) && body.Contains(Masked, StringComparison.Ordinal))
        {
            yield return $"{cell}: a cleared role got the number masked";
        }
        if (!Clearance.Amounts(role) && (body.Contains("4321.75", StringComparison.Ordinal) || body.Contains("\"amount\"", StringComparison.Ordinal)))
        {
            yield return $"{cell}: an amount was sent";
        }
        if (!Clearance.ComplaintContent(role) && body.Contains(Complaint, StringComparison.Ordinal))
        {
            yield return $"{cell}: the complaint's content was sent";
        }
        if (body.Contains("\"subject\":\"\"", StringComparison.Ordinal) || body.Contains("\"body\":null", StringComparison.Ordinal))
        {
            yield return $"{cell}: a withheld field was sent empty instead of left out";
        }
    }

    /// <summary>Whether the matrix's empty body, written by <paramref name="role"/>, is one the write rule refuses (the fixture's ticket is a complaint).</summary>
    private static bool WriteRefused(string method, string path, Role role)
    {
        if (method is not ("POST" or "PUT"))
        {
            return false;
        }
        object? input = Segments.FirstOrDefault(s => path.EndsWith("/" + s, StringComparison.Ordinal) || path.StartsWith($"/api/v1/{s}/{{id}}", StringComparison.Ordinal)) switch
        {
            "orders" => new OrderInput(),
            "opportunities" => new OpportunityInput(),
            "tickets" => new TicketInput(),
            _ => null,
        };
        return WriteClearance.Check(input, new Viewer("x", role), replacing: method == "PUT", targetSensitive: true) is not null;
    }

    private static bool IsCustomerScoped(string path) =>
        path.Contains("{customerId}", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/customers/{id}", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/tickets/{ticketId}", StringComparison.Ordinal)
        || Segments.Any(s => path == $"/api/v1/{s}/{{id}}");

    private static readonly string[] Segments = ["contact-points", "orders", "tickets", "opportunities", "tasks", "interactions"];

    /// <summary>The operation's URL with its route values filled in, for the caller's own customer or the foreign one (or ids that exist nowhere).</summary>
    private static string Url(string path, Fixture mine, Fixture foreign, bool own, bool nowhere = false)
    {
        var fixture = own ? mine : foreign;
        var segment = Segments.FirstOrDefault(s => path.StartsWith($"/api/v1/{s}/", StringComparison.Ordinal));
        var missing = Guid.CreateVersion7().ToString();
        var url = path
            .Replace("{customerId}", nowhere ? missing : fixture.CustomerId.ToString(), StringComparison.Ordinal)
            .Replace("{ticketId}", nowhere ? missing : fixture.Records["tickets"].ToString(), StringComparison.Ordinal)
            .Replace("{id}", nowhere ? missing : (segment is null ? fixture.CustomerId : fixture.Records[segment]).ToString(), StringComparison.Ordinal);
        url = System.Text.RegularExpressions.Regex.Replace(url, "\\{[^}]+\\}", "1"); // "1" passes both string and number routes
        return url switch
        {
            "/api/v1/customers" => url + "?name=Matrix&reason=authorization%20matrix",
            "/api/v1/identify" => url + $"?number={Number}&reason=authorization%20matrix",
            _ => url,
        };
    }

    private static async Task<HttpResponseMessage> SendAsync(SwitchboardApplication app, string? key, string method, string url, string mediaType)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = key is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(mediaType.Contains("json", StringComparison.Ordinal) ? "{}" : "", Encoding.UTF8, mediaType);
        }
        if (method == "DELETE")
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"999999\""); // a stale version: allowed answers 409, nothing is deleted
        }
        return await client.SendAsync(request, Ct);
    }

    private static Task<int> ReadsAsync(SwitchboardApplication app, string actor, Guid customerId) =>
        app.WithDbAsync(db => db.AuditLog.CountAsync(e => e.Actor == actor && e.CustomerId == customerId
            && (e.Action == Switchboard.Core.Audit.AuditAction.Read || e.Action == Switchboard.Core.Audit.AuditAction.Search), Ct));

    private static string WithoutTrace(string body)
    {
        if (JsonNode.Parse(body) is not JsonObject problem)
        {
            return body;
        }
        problem.Remove("traceId");
        return problem.ToJsonString();
    }

    private static string KeyName(Role role) => "matrix-" + role.ToString().ToLowerInvariant();

    private static async Task<Fixture> CreateCustomerAsync(HttpClient admin, string owner, string? name = null, string number = Number)
    {
        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput
        {
            DisplayName = name ?? "Matrix " + owner, OwnerAgentId = owner,
            ContactPoints = [new ContactPointInput { Kind = ContactKind.Mobile, Value = number }],
        })).ReadAsync<CustomerView>();
        var records = new Dictionary<string, Guid>
        {
            ["contact-points"] = customer.ContactPoints[0].Id,
            ["orders"] = await CreateAsync(admin, customer.Id, "orders", new OrderInput { Number = "SO-" + owner, Amount = OrderAmount, Currency = "CNY" }),
            ["tickets"] = await CreateAsync(admin, customer.Id, "tickets", new TicketInput { Subject = "Will write to the " + Complaint, IsSensitive = true }),
            ["opportunities"] = await CreateAsync(admin, customer.Id, "opportunities", new OpportunityInput { Title = "Upgrade", Amount = OrderAmount, Currency = "CNY" }),
            ["tasks"] = await CreateAsync(admin, customer.Id, "tasks", new FollowUpTaskInput { Title = "Call back", AssigneeTeam = "care", DueAt = DateTimeOffset.UtcNow.AddDays(1) }),
            ["interactions"] = await CreateAsync(admin, customer.Id, "interactions", new InteractionInput { Summary = "asked about the bill" }),
        };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync($"/api/v1/tickets/{records["tickets"]}/updates",
            new TicketUpdateInput("care-1", "The " + Complaint + " was named again", false))).StatusCode);
        return new Fixture(customer.Id, records);
    }

    private static async Task<Guid> CreateAsync<T>(HttpClient admin, Guid customerId, string segment, T input)
    {
        var response = await admin.PostJsonAsync($"/api/v1/customers/{customerId}/{segment}", input);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{segment}: {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.ReadAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
