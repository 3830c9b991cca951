using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Api;

/// <summary>Malformed, oversized and hostile input: a clear problem, and nothing written.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private SwitchboardApplication _app = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        (_store, _app, _client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = "65536" });

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Create_WithEveryFieldWrong_NamesEveryField()
    {
        var input = new CustomerInput
        {
            DisplayName = " ",
            Region = new string('x', 65),
            Tags = ["ok", "", new string('t', 49)],
            Kind = CustomerKind.Company,
            CompanyId = Guid.Empty,
            ContactPoints = [new() { Value = "call me maybe" }, new() { Kind = ContactKind.Email, Value = "not-an-email" }, new() { Value = null }],
            ExternalIds = [new("erp", null), new("ERP", "2")],
        };
        var problem = await Problem.ReadAsync(await _client.PostJsonAsync("/api/v1/customers", input), HttpStatusCode.BadRequest);

        Assert.Equal(ErrorCodes.ValidationFailed, problem.Code);
        Assert.Equal(
            ["companyId", "contactPoints[0].value", "contactPoints[1].value", "contactPoints[2].value", "displayName", "externalIds", "externalIds[0].id", "region", "tags[1]", "tags[2]"],
            problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Theory]
    [InlineData("""{"displayName": "x", "tier": "platinum"}""", "tier")]
    [InlineData("""{"displayName": 42}""", "displayName")]
    [InlineData("""{"displayName": "x", "tier": 3}""", "tier")]
    [InlineData("""{"displayName": "x", "contactPoints": [{"kind": "pager", "value": "1"}]}""", "contactPoints[0].kind")]
    public async Task Create_WithAValueOfTheWrongType_Is400NamingTheField(string body, string field)
    {
        var problem = await Problem.ReadAsync(await PostRawAsync("/api/v1/customers", body), HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.ValidationFailed, problem.Code);
        Assert.Equal([field], problem.Errors.Keys);
    }

    [Theory]
    [InlineData("""{"displayName": """)]
    [InlineData("not json at all")]
    [InlineData("""{"displayName": "x"} trailing""")]
    [InlineData("")]
    public async Task Create_WithMalformedJson_Is400MalformedBody(string body)
    {
        var problem = await Problem.ReadAsync(await PostRawAsync("/api/v1/customers", body), HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.MalformedBody, problem.Code);
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Fact]
    public async Task Create_WithDeeplyNestedJson_Is400()
    {
        var body = """{"displayName":"x","tags":""" + new string('[', 5000) + new string(']', 5000) + "}";
        var problem = await Problem.ReadAsync(await PostRawAsync("/api/v1/customers", body), HttpStatusCode.BadRequest);
        Assert.Equal(ErrorCodes.MalformedBody, problem.Code);
    }

    [Fact]
    public async Task Create_WithDeclaredLengthOverTheLimit_Is413BeforeReading()
    {
        var body = "{\"displayName\":\"x\",\"tags\":[\"" + new string('a', 70_000) + "\"]}";
        var problem = await Problem.ReadAsync(await PostRawAsync("/api/v1/customers", body), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(ErrorCodes.BodyTooLarge, problem.Code);
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Fact]
    public async Task Create_WithChunkedBodyOverTheLimit_Is413()
    {
        var body = "{\"displayName\":\"x\",\"tags\":[\"" + new string('a', 70_000) + "\"]}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/customers") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var problem = await Problem.ReadAsync(await _client.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(ErrorCodes.BodyTooLarge, problem.Code);
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Theory]
    [InlineData("/api/v1/customers?limit=0", "limit")]
    [InlineData("/api/v1/customers?limit=abc", "limit")]
    [InlineData("/api/v1/customers?cursor=robert'); DROP TABLE Customers;--", "cursor")]
    [InlineData("/api/v1/customers?phone=hello", "phone")]
    [InlineData("/api/v1/customers?tier=diamond", "tier")]
    [InlineData("/api/v1/customers?externalSystem=erp", "externalId")]
    [InlineData("/api/v1/customers?phone=138001380001380013800013800138000138000138000138000138000138000138000", "phone")]
    public async Task List_WithBadQuery_Is400NamingTheParameter(string url, string field)
    {
        var problem = await Problem.ReadAsync(await _client.GetAsync(url, Ct), HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.Errors.Keys);
    }

    [Fact]
    public async Task List_WithAnOversizedSearchTerm_Is400()
    {
        var problem = await Problem.ReadAsync(await _client.GetAsync("/api/v1/customers?name=" + new string('张', 5000), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(["name"], problem.Errors.Keys);
    }

    [Fact]
    public async Task Names_ThatLookLikeSqlOrMarkup_AreStoredVerbatim()
    {
        const string name = "Robert'); DROP TABLE Customers;-- <script>alert(1)</script>";
        var created = await (await _client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = name })).ReadAsync<CustomerView>();
        var read = await (await _client.GetAsync($"/api/v1/customers/{created.Id}", Ct)).ReadAsync<CustomerView>();
        Assert.Equal(name, read.DisplayName);
        Assert.Equal(1, await CustomerCountAsync());
    }

    [Fact]
    public async Task UnknownIdsAndRoutes_AreProblems()
    {
        Assert.Equal("customer.not_found", (await Problem.ReadAsync(await _client.GetAsync($"/api/v1/customers/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound)).Code);
        Assert.Equal("order.not_found", (await Problem.ReadAsync(await _client.GetAsync($"/api/v1/orders/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound)).Code);
        Assert.Equal(ErrorCodes.RouteNotFound, (await Problem.ReadAsync(await _client.GetAsync("/api/v1/nothing-here", Ct), HttpStatusCode.NotFound)).Code);
        Assert.Equal(ErrorCodes.RouteNotFound, (await Problem.ReadAsync(await _client.GetAsync("/api/v1/customers/not-a-guid", Ct), HttpStatusCode.NotFound)).Code);
        var orphan = await _client.PostJsonAsync($"/api/v1/customers/{Guid.CreateVersion7()}/orders", new OrderInput { Number = "1", Amount = 1, Currency = "CNY" });
        Assert.Equal("customer.not_found", (await Problem.ReadAsync(orphan, HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task WrongMethodOrMediaType_AreProblemsToo()
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/customers") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        Assert.Equal("http_405", (await Problem.ReadAsync(await _client.SendAsync(patch, Ct), HttpStatusCode.MethodNotAllowed)).Code);
        var xml = await _client.PostAsync("/api/v1/customers", new StringContent("<customer/>", Encoding.UTF8, "application/xml"), Ct);
        Assert.Equal("http_415", (await Problem.ReadAsync(xml, HttpStatusCode.UnsupportedMediaType)).Code);
        Assert.Equal(0, await CustomerCountAsync());
    }

    [Fact]
    public async Task Replace_WithoutAnyVersion_Is400AndAnUnreadableIfMatchIs409()
    {
        var created = await (await _client.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "x" })).ReadAsync<CustomerView>();
        var missing = await Problem.ReadAsync(await _client.PutJsonAsync($"/api/v1/customers/{created.Id}", new CustomerInput { DisplayName = "y" }), HttpStatusCode.BadRequest);
        Assert.Equal(["version"], missing.Errors.Keys);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/{created.Id}")
        {
            Content = new StringContent("""{"displayName":"y"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.Equal(ErrorCodes.VersionConflict, (await Problem.ReadAsync(await _client.SendAsync(request, Ct), HttpStatusCode.Conflict)).Code);
    }

    private Task<HttpResponseMessage> PostRawAsync(string url, string body) =>
        _client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), Ct);

    private Task<int> CustomerCountAsync() => _app.WithDbAsync(db => db.Customers.CountAsync(Ct));
}
