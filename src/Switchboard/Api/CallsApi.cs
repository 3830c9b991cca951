using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Switchboard.Core.Audit;
using Switchboard.Core.Calls;
using Switchboard.Core.Speech;
using Switchboard.Core.Security;
using Switchboard.Core.WrapUp;
using Switchboard.Errors;
using Switchboard.Security;

namespace Switchboard.Api;

/// <summary>A call's transcript and its wrap-up: <c>/api/v1/calls/{source}/{callId}/…</c> (docs/wrap-up.md).</summary>
internal static class CallsApi
{
    /// <summary>Segments to add or replace.</summary>
    public sealed record TranscriptInput(IReadOnlyList<SegmentInput>? Segments);

    /// <summary>How many segments changed.</summary>
    public sealed record TranscriptAccepted(int Changed, IReadOnlyList<FiringView> Fired);

    public static void MapCalls(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/calls/{source}/{callId}").WithTags("Calls");

        group.MapPost("/transcript", async Task<Results<Ok<TranscriptAccepted>, ProblemHttpResult>> (
                    TranscriptService transcripts, SpeechAnalytics speech, CallRegistry calls, string source, string callId, TranscriptInput input,
                    CancellationToken cancellationToken) =>
            {
                if (calls.Find(source, callId) is not { } call)
                {
                    return Core.Common.Error.NotFound("call").ToProblem();
                }
                var added = await transcripts.AddAsync(CallHistoryWriter.CallIdOf(source, callId), input.Segments, cancellationToken);
                if (!added.IsSuccess)
                {
                    return added.Error.ToProblem();
                }
                // The rules hear the segments that became final, in time order, before the answer: what fired is in it.
                return TypedResults.Ok(new TranscriptAccepted(added.Value.Changed, await speech.HearSafelyAsync(call, added.Value.NowFinal)));
            })
            .WithName("AddTranscriptSegments")
            .WithSummary("Add transcript segments of a call (speaker customer or agent, start and end in ms, text, language, final); a partial segment is replaced by its later versions, never a final one by a partial. Up to 200 per request. Final segments are scored for sentiment and heard by the speech rules; the answer lists what fired.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/audio", async Task<Results<Ok<TranscriptAccepted>, ProblemHttpResult>> (
                    TranscriptService transcripts, SpeechAnalytics speech, ISpeechToText engine, CallRegistry calls, HttpRequest request, string source, string callId,
                    string? speaker, int? offset, string? language, CancellationToken cancellationToken) =>
            {
                if (calls.Find(source, callId) is not { } call)
                {
                    return Core.Common.Error.NotFound("call").ToProblem();
                }
                if (speaker is not ("customer" or "agent") || offset is < 0 || language is { Length: > Core.Persistence.Limits.Language })
                {
                    return Core.Common.Error.Validation("speaker", "is required: customer or agent (one channel per request); offset (ms into the call) not negative; language at most 16 characters.").ToProblem();
                }
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body, cancellationToken);
                var audio = WavAudio.Check(body.GetBuffer().AsSpan(0, (int)body.Length));
                if (!audio.IsSuccess)
                {
                    return audio.Error.ToProblem();
                }
                if (!engine.Available)
                {
                    return new Core.Common.Error(Core.Common.ErrorKind.Conflict, "speech.no_engine",
                        "Local speech-to-text is off: set Speech:WhisperModel to a whisper.cpp model file, or post transcript segments.").ToProblem();
                }
                body.Position = 0;
                var start = offset ?? 0;
                var recognized = await engine.TranscribeAsync(body, language, cancellationToken);
                var who = speaker == "agent" ? Speaker.Agent : Speaker.Customer;
                var segments = recognized.Where(r => r.Text.Trim().Length > 0).Take(TranscriptService.MaxSegments).Select(r => new SegmentInput($"audio-{speaker}-{start + r.StartMs}", who, start + r.StartMs,
                    start + Math.Max(r.StartMs, r.EndMs), r.Text.Trim() is var text && text.Length > TranscriptService.MaxText ? text[..TranscriptService.MaxText] : text,
                    (language ?? r.Language) is { Length: > 0 } l ? l : "und", true)).ToList();
                if (segments.Count == 0)
                {
                    return TypedResults.Ok(new TranscriptAccepted(0, []));
                }
                var added = await transcripts.AddAsync(CallHistoryWriter.CallIdOf(source, callId), segments, cancellationToken);
                return added.IsSuccess
                    ? TypedResults.Ok(new TranscriptAccepted(added.Value.Changed, await speech.HearSafelyAsync(call, added.Value.NowFinal)))
                    : added.Error.ToProblem();
            })
            .WithName("AddCallAudio").Accepts<byte[]>("audio/wav")
            .WithSummary("Transcribe a chunk of one speaker's audio (16 kHz mono 16-bit PCM WAV, within the request size limit: about 30 s a megabyte) with the local engine (Speech:WhisperModel) and add it to the transcript as final segments, heard by the speech rules; 409 when no local engine is configured (the platform transcribes).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/transcript", async Task<Results<Ok<IReadOnlyList<SegmentView>>, ProblemHttpResult>> (
                    TranscriptService transcripts, WrapUpService wrapUps, AuditLog audit, CallRegistry calls, ClaimsPrincipal user, string source, string callId,
                    CancellationToken cancellationToken) =>
            {
                if (Own(calls, user, source, callId) is { } problem)
                {
                    return problem;
                }
                var segments = await transcripts.GetAsync(CallHistoryWriter.CallIdOf(source, callId), cancellationToken);
                if (segments.Count > 0)
                {
                    // What the customer said is customer data: the read is in the trail before the answer.
                    var viewer = CustomerDataFilter.ViewerOf(user)!;
                    await AuditCallReadAsync(audit, source, callId, await wrapUps.CustomerOfCallAsync(source, callId, viewer, cancellationToken), ["segments"], cancellationToken);
                }
                return TypedResults.Ok(segments);
            })
            .WithName("GetTranscript").WithSummary("The call's transcript in time order; agents read their own calls'.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/speech", async Task<Results<Ok<CallSpeechView>, ProblemHttpResult>> (
                    SpeechFirings firings, WrapUpService wrapUps, AuditLog audit, CallRegistry calls, ClaimsPrincipal user, string source, string callId,
                    CancellationToken cancellationToken) =>
            {
                if (Own(calls, user, source, callId) is { } missing)
                {
                    return missing;
                }
                var view = await firings.OfCallAsync(CallHistoryWriter.CallIdOf(source, callId), cancellationToken);
                if (view.Firings.Count > 0 || view.Sentiment.Points.Count > 0)
                {
                    // Evidence quotes what the customer said, and the trend is how they felt: a read of the call.
                    await AuditCallReadAsync(audit, source, callId, await wrapUps.CustomerOfCallAsync(source, callId, CustomerDataFilter.ViewerOf(user)!, cancellationToken),
                        ["firings", "sentiment"], cancellationToken);
                }
                return TypedResults.Ok(view);
            })
            .WithName("GetCallSpeech").WithSummary("What the speech rules made of the call: firings with their words, tags, and each speaker's sentiment with the smoothed trend; agents read their own calls'.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/wrap-up", async Task<Results<Ok<WrapUpDraft>, ProblemHttpResult>> (
                    WrapUpService wrapUps, AuditLog audit, ClaimsPrincipal user, string source, string callId, CancellationToken cancellationToken) =>
            {
                var draft = await wrapUps.DraftAsync(source, callId, CustomerDataFilter.ViewerOf(user)!, cancellationToken);
                if (draft.IsSuccess && draft.Value.CustomerId is { } customerId)
                {
                    // The draft names the customer, quotes the call and lists their open tickets: audited as a read.
                    await AuditCallReadAsync(audit, source, callId, customerId, ["customerName", "summary", "openTickets"], cancellationToken);
                }
                return draft.ToOk();
            })
            .WithName("DraftWrapUp")
            .WithSummary("The drafted service summary of the agent's call (who called, why, what was said and agreed, next steps), the dispositions to choose from, the customer's open tickets and when wrap-up time ends.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/wrap-up", async Task<Results<Ok<WrapUpResult>, ProblemHttpResult>> (
                    WrapUpService wrapUps, ClaimsPrincipal user, string source, string callId, WrapUpInput input, CancellationToken cancellationToken) =>
                (await wrapUps.ConfirmAsync(source, callId, input, CustomerDataFilter.ViewerOf(user)!, cancellationToken)).ToOk())
            .WithName("ConfirmWrapUp")
            .WithSummary("Confirm the summary (as edited) with a disposition: it goes on the call's timeline entry, into a new ticket or onto the open ticket named, and on the company's timeline; once per call.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Appends a read of a call's transcript (or the draft made from it) by the request's actor; returns once committed.</summary>
    private static Task AuditCallReadAsync(AuditLog audit, string source, string callId, Guid? customerId, IEnumerable<string> fields, CancellationToken cancellationToken)
    {
        var actor = AuditContext.Current;
        var call = CallHistoryWriter.CallIdOf(source, callId);
        return audit.AppendAsync(new AuditRecord(actor.Actor, actor.Role, actor.Channel, AuditAction.Read, "transcript", call, customerId, call, AuditLog.Read(fields)),
            cancellationToken);
    }

    /// <summary>404 unless the call exists and the caller may see it (its agent, or a role cleared for all customers).</summary>
    private static ProblemHttpResult? Own(CallRegistry calls, ClaimsPrincipal user, string source, string callId) =>
        calls.Find(source, callId) is { } call && CustomerDataFilter.ViewerOf(user) is { } viewer && CustomerAccess.MayName(call, viewer)
            ? null
            : Core.Common.Error.NotFound("call").ToProblem();
}
