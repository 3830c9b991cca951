using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Staffing;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>REST for workforce planning: forecasts from the call journal, Erlang C/A, agents per interval, shift plans.</summary>
internal static class StaffingApi
{
    public static void MapStaffing(this RouteGroupBuilder v1)
    {
        v1.MapGet("/forecasts", async Task<Results<Ok<ForecastView>, ProblemHttpResult>> (
                    CallVolumes volumes, string? queue, string? region, DateOnly? day, CancellationToken cancellationToken) =>
                (await volumes.ForecastAsync(queue, region, day, cancellationToken)).ToOk())
            .WithTags("Forecasting").WithName("ForecastDay")
            .WithSummary("A queue's (or every queue's) calls per interval for a day (default tomorrow), from the call journal (by region: identified callers of that region), with an 80% band, the model chosen by backtest and why, and actuals once the day is over.");

        v1.MapPost("/forecasts/history", async Task<Results<Ok<CallHistoryImportResult>, ProblemHttpResult>> (
                    HttpRequest request, CallHistoryImport import, string? queue, int? intervalMinutes, CancellationToken cancellationToken) =>
                await CsvBodyAsync(request, cancellationToken) is not { } csv ? UnsupportedCsv()
                    : (await import.ImportAsync(queue, intervalMinutes ?? 30, csv, cancellationToken)).ToOk())
            .WithTags("Forecasting").WithName("ImportCallHistory").Accepts<string>("text/csv")
            .WithSummary("Import call counts per interval from before Switchboard ran (CSV: DateTime,Calls in the center's local time) for a queue; importing again replaces, never doubles.");

        v1.MapPost("/forecasts/drivers", async Task<Results<Ok<ForecastDriversImportResult>, ProblemHttpResult>> (
                    HttpRequest request, CallHistoryImport import, CancellationToken cancellationToken) =>
                await CsvBodyAsync(request, cancellationToken) is not { } csv ? UnsupportedCsv()
                    : (await import.ImportDriversAsync(csv, cancellationToken)).ToOk())
            .WithTags("Forecasting").WithName("ImportForecastDrivers").Accepts<string>("text/csv")
            .WithSummary("Import the CRM's daily drivers, known ahead (CSV: Date, then a column per driver such as campaign_sends or renewals_due); forecasts then also try a regression on them.");

        v1.MapGet("/forecasts/hot-topics", async Task<Results<Ok<IReadOnlyList<HotTopic>>, ProblemHttpResult>> (
                    HotTopicFinder finder, DateTime? asOf, int? ahtSeconds, CancellationToken cancellationToken) =>
                ahtSeconds is <= 0 or > 86_400
                    ? Core.Common.Error.Validation("ahtSeconds", "must be 1 to 86,400.").ToProblem()
                    : TypedResults.Ok(await finder.FindAsync(asOf?.ToUniversalTime(), TimeSpan.FromSeconds(ahtSeconds ?? 180), cancellationToken)))
            .WithTags("Forecasting").WithName("HotTopics")
            .WithSummary("Topics rising above their 28-day baseline in the last 7 days, per region, with extra agents for the region's queue and a spare-parts hint where tickets name products.");

        var staffing = v1.MapGroup("/staffing").WithTags("Staffing");
        staffing.MapPost("/erlang", Results<Ok<ErlangView>, ProblemHttpResult> (ErlangInput input) => StaffingService.Erlang(input).ToOk())
            .WithName("Erlang")
            .WithSummary("Agents a load needs for a service level (Erlang C), or what a given number of agents achieves; P(abandon) by Erlang A when patience is given.");
        staffing.MapPost("/requirements", Results<Ok<IntervalRequirement[]>, ProblemHttpResult> (RequirementInput input) => StaffingService.Requirement(input).ToOk())
            .WithName("StaffingRequirement").WithSummary("Agents on the phones and scheduled (after shrinkage) for each interval's volume.");
        staffing.MapPost("/plans", Results<Ok<ShiftPlan>, ProblemHttpResult> (PlanInput input) => StaffingService.Plan(input).ToOk())
            .WithName("ShiftPlan").WithSummary("Shifts from templates that never under-staff the requirement and keep paid hours low, with the over-staffing per interval.");
    }

    /// <summary>A text/csv body, read whole (it is bounded by Api:MaxRequestBodyBytes) and asynchronously; null for another media type.</summary>
    private static async Task<StringReader?> CsvBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }
        using var body = new StreamReader(request.Body);
        return new StringReader(await body.ReadToEndAsync(cancellationToken));
    }

    private static ProblemHttpResult UnsupportedCsv() =>
        new Core.Common.Error(Core.Common.ErrorKind.UnsupportedMediaType, "unsupported_media_type", "Send the file as text/csv.").ToProblem();
}
