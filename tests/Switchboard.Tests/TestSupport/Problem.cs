using System.Net;
using System.Text.Json;

namespace Switchboard.Tests.TestSupport;

/// <summary>A ProblemDetails body as a client sees it, with the checks every error response must pass.</summary>
public sealed record Problem(int Status, string Code, string? Detail, string? TraceId, IReadOnlyDictionary<string, string[]> Errors, string Raw)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {raw}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", raw, StringComparison.Ordinal); // never a stack trace
        using var document = JsonDocument.Parse(raw);
        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>();
        if (root.TryGetProperty("errors", out var errorsElement))
        {
            foreach (var field in errorsElement.EnumerateObject())
            {
                errors[field.Name] = field.Value.EnumerateArray().Select(e => e.GetString()!).ToArray();
            }
        }
        var problem = new Problem(
            root.GetProperty("status").GetInt32(),
            root.GetProperty("code").GetString()!,
            root.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
            root.TryGetProperty("traceId", out var trace) ? trace.GetString() : null,
            errors, raw);
        Assert.Equal((int)expected, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.TraceId), "Every problem carries a trace id.");
        return problem;
    }
}
