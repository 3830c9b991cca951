using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Switchboard.Core.Calls;
using Switchboard.Core.Common;
using Switchboard.Core.Telephony;
using Switchboard.Errors;

namespace Switchboard.Api;

/// <summary>Telephony in: Zammad-compatible Generic CTI and Switchboard's own signed JSON events.</summary>
internal static partial class TelephonyApi
{
    public const string SourceHeader = "X-Switchboard-Source";
    public const string TimestampHeader = "X-Switchboard-Timestamp";
    public const string SignatureHeader = "X-Switchboard-Signature";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>What a telephony endpoint answers for an accepted event.</summary>
    /// <param name="Outcome">applied, duplicate (acknowledged, not applied twice) or ignored (an unknown kind).</param>
    /// <param name="Phase">The call's phase afterwards.</param>
    public sealed record Accepted(string Outcome, CallPhase? Phase);

    public static void MapTelephony(this RouteGroupBuilder v1)
    {
        v1.MapPost("/cti/{token}", ZammadCtiAsync).WithTags("Telephony").WithName("ZammadGenericCti")
            .WithSummary("Zammad Generic CTI events (newCall, answer, hangup), form-encoded or JSON, exactly as Zammad takes them.")
            .Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded", "application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        v1.MapPost("/telephony/events", EventAsync).WithTags("Telephony").WithName("PostTelephonyEvent")
            .WithSummary($"One canonical call event as JSON; {SourceHeader} names the source, authenticated by {ApiKeyHeader} or by {SignatureHeader} over {TimestampHeader}.")
            .Accepts<TelephonyEventInput>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<Results<Ok<Dictionary<string, string>>, ProblemHttpResult>> ZammadCtiAsync(
        string token, HttpRequest request, TelephonySourceService sources, CallRegistry calls, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var source = await sources.FindByTokenAsync(token, cancellationToken);
        if (source is null)
        {
            return Unauthorized("The token names no enabled telephony source.");
        }
        if (source.Kind != TelephonySourceKind.ZammadCti)
        {
            return new Error(ErrorKind.Forbidden, "telephony.wrong_endpoint", "This source is not a Zammad Generic CTI source.").ToProblem();
        }

        ZammadCtiRequest cti;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                cti = ZammadCtiRequest.FromForm(name => form.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : []);
            }
            else if (request.HasJsonContentType())
            {
                using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
                cti = ZammadCtiRequest.FromJson(document.RootElement);
            }
            else
            {
                return new Error(ErrorKind.UnsupportedMediaType, "unsupported_media_type",
                    "Send form fields (application/x-www-form-urlencoded) or JSON, as Zammad's Generic CTI takes them.").ToProblem();
            }
        }
        catch (JsonException malformed)
        {
            return new Error(ErrorKind.Validation, ErrorCodes.MalformedBody, "The request body is not valid JSON: " + malformed.Message.Split('.')[0] + ".").ToProblem();
        }
        catch (InvalidDataException)
        {
            return new Error(ErrorKind.Validation, ErrorCodes.MalformedBody, "The form body could not be read.").ToProblem();
        }

        var mapped = ZammadCtiMapper.Map(cti, source, time.GetUtcNow().UtcDateTime);
        if (!mapped.IsSuccess)
        {
            return mapped.Error.ToProblem();
        }
        if (mapped.Value.Count == 0)
        {
            var logger = loggers.CreateLogger(typeof(TelephonyApi).FullName!);
            var kind = Printable(cti.Event);
            Log.UnknownEvent(logger, source.Name, kind);
        }
        var accepted = await TelephonyIntake.AcceptAsync(calls, source, mapped.Value, cancellationToken);
        if (!accepted.IsSuccess)
        {
            return accepted.Error.ToProblem();
        }
        // Zammad answers {} (or {"action": ...} for caller-id rules Switchboard does not implement).
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    private static async Task<Results<Ok<Accepted>, ProblemHttpResult>> EventAsync(
        HttpRequest request, TelephonySourceService sources, CallRegistry calls, TimeProvider time,
        IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();

        var name = request.Headers[SourceHeader].ToString();
        var source = string.IsNullOrEmpty(name) ? null : await sources.FindByNameAsync(name, cancellationToken);
        if (source is null)
        {
            return Unauthorized($"{SourceHeader} names no enabled telephony source.");
        }
        var apiKey = request.Headers[ApiKeyHeader].ToString();
        if (apiKey.Length > 0)
        {
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SourceSecrets.Hash(apiKey)), Encoding.ASCII.GetBytes(source.TokenHash)))
            {
                return Unauthorized("The API key is not this source's.");
            }
        }
        else
        {
            switch (SourceSecrets.Verify(source.SigningSecret, request.Headers[TimestampHeader], request.Headers[SignatureHeader], body, time.GetUtcNow()))
            {
                case SignatureCheck.Missing:
                    return Unauthorized($"Send {ApiKeyHeader}, or {TimestampHeader} and {SignatureHeader}.");
                case SignatureCheck.Invalid:
                    return Unauthorized("The signature does not match the body.");
                case SignatureCheck.Expired:
                    return new Error(ErrorKind.Unauthorized, "telephony.signature_expired",
                        $"The signed timestamp is more than {SourceSecrets.MaxSignatureAge.TotalMinutes:0} minutes from now; a replayed request is refused.").ToProblem();
            }
        }

        TelephonyEventInput? input;
        try
        {
            input = JsonSerializer.Deserialize<TelephonyEventInput>(body, json.Value.SerializerOptions);
        }
        catch (JsonException malformed)
        {
            return JsonProblems.From(malformed).ToProblem();
        }
        if (input is null)
        {
            return new Error(ErrorKind.Validation, ErrorCodes.MalformedBody, "The body must be a JSON object.").ToProblem();
        }
        var mapped = input.ToEvent(source, time.GetUtcNow().UtcDateTime);
        if (!mapped.IsSuccess)
        {
            return mapped.Error.ToProblem();
        }
        var accepted = await TelephonyIntake.AcceptAsync(calls, source, mapped.Value is { } e ? [e] : [], cancellationToken);
        if (!accepted.IsSuccess)
        {
            return accepted.Error.ToProblem();
        }
        return TypedResults.Ok(accepted.Value is { } done
            ? new Accepted(WireNames.Of(done.Outcome), done.Call.Phase)
            : new Accepted("ignored", null));
    }

    private static ProblemHttpResult Unauthorized(string detail) =>
        new Error(ErrorKind.Unauthorized, "telephony.unauthorized", detail).ToProblem();

    /// <summary>An unknown event name, safe to log: at most 32 characters, letters and digits only.</summary>
    private static string Printable(string? value) =>
        new((value ?? "").Where(char.IsAsciiLetterOrDigit).Take(32).ToArray());

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Telephony source {Source} sent an unknown event kind '{Kind}'; acknowledged and ignored")]
        public static partial void UnknownEvent(ILogger logger, string source, string kind);
    }
}
