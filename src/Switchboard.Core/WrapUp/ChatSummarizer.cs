using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Security;

namespace Switchboard.Core.WrapUp;

/// <summary>Settings under <c>WrapUp:Summarizer</c>: an OpenAI-compatible chat model drafts summaries when <see cref="Endpoint"/> is set.</summary>
public sealed class SummarizerOptions
{
    /// <summary>An OpenAI-compatible API's base URL (a self-hosted Qwen or DeepSeek behind vLLM or Ollama, Azure OpenAI, OpenAI); null: the extractive summariser only.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model's name at that endpoint.</summary>
    public string Model { get; set; } = "qwen2.5-7b-instruct";

    /// <summary>The API key, when the endpoint wants one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long the draft may wait for the model before the extractive draft is shown instead. Default 15 s.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>The most transcript text sent, from the start of the call. Default 12,000 characters.</summary>
    [Range(500, 200_000)]
    public int MaxTranscriptCharacters { get; set; } = 12_000;
}

/// <summary>
/// Drafts the summary with a chat model (Microsoft.Extensions.AI's <see cref="IChatClient"/>), when one is configured:
/// the call's facts and its final transcript (phone numbers masked) in, a structured answer out — reason, points, next
/// steps and the summary text, in the call's language. Keywords and language still come from the extractive engine
/// (the follow-up rules must not depend on a model's wording). Any failure — a timeout, an error, an answer that is
/// not the structure asked for — falls back to the extractive draft: the agent always gets one.
/// </summary>
public sealed partial class ChatSummarizer(IChatClient chat, IOptions<SummarizerOptions> options, ILogger<ChatSummarizer> logger) : ISummarizer
{
    /// <summary>The facts as JSON, Chinese kept as written (the model reads it; it is no web page).</summary>
    private static readonly JsonSerializerOptions PromptJson = new(Common.WireJson.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    /// <summary>The structure asked of the model.</summary>
    public sealed record Answer(string? Summary, string? Reason, string[]? Points, string[]? NextSteps);

    public async Task<SummaryDraft> SummarizeAsync(SummaryFacts facts, IReadOnlyList<SegmentView> transcript, CancellationToken cancellationToken)
    {
        var fallback = ExtractiveSummarizer.Summarize(facts, transcript);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            var response = await chat.GetResponseAsync<Answer>(Prompt(facts, transcript, fallback.Language, options.Value.MaxTranscriptCharacters),
                new ChatOptions { Temperature = 0.2f }, useJsonSchemaResponseFormat: true, cancellationToken: timeout.Token);
            if (!response.TryGetResult(out var answer) || string.IsNullOrWhiteSpace(answer?.Summary))
            {
                Log.Unusable(logger, "no summary in the structure asked for");
                return fallback;
            }
            var engine = response.ModelId ?? options.Value.Model;
            return new SummaryDraft(Cap(answer.Summary.Trim(), Persistence.Limits.Body)!, fallback.Language, Cap(answer.Reason?.Trim(), 500),
                [.. (answer.Points ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Take(8).Select(p => Cap(p.Trim(), 500)!)],
                [.. (answer.NextSteps ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Take(8).Select(p => Cap(p.Trim(), 500)!)],
                fallback.Keywords, engine.Length > 64 ? engine[..64] : engine);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Unusable(logger, $"no answer within {options.Value.TimeoutSeconds} s");
            return fallback;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Failed(logger, e.GetType().Name); // the type only: a provider's message may quote the prompt
            return fallback;
        }
    }

    /// <summary>The messages sent: instructions, the facts, the transcript (masked numbers, capped), in the call's language.</summary>
    public static IList<ChatMessage> Prompt(SummaryFacts facts, IReadOnlyList<SegmentView> transcript, string language, int maxCharacters)
    {
        var system = language == "zh"
            ? "你是呼叫中心的服务小结助手。根据通话事实和转写，用简体中文写一份简洁的服务小结：谁来电、为什么、谈了什么、约定了什么、下一步。只写转写中出现的内容，不要编造。"
            : "You write service summaries for a contact center. From the call's facts and transcript, write a concise summary in English: who called, why, what was discussed and agreed, next steps. Only state what the transcript says; never invent.";
        var text = new StringBuilder();
        text.AppendLine(JsonSerializer.Serialize(new
        {
            customer = facts.CustomerName, tier = facts.Tier, queue = facts.Queue, agent = facts.Agent,
            direction = facts.Outbound ? "outbound" : "inbound", durationSeconds = (int?)facts.Duration?.TotalSeconds, openTickets = facts.OpenTickets,
        }, PromptJson));
        foreach (var segment in transcript.Where(s => s.Final).OrderBy(s => s.Start))
        {
            var line = $"{segment.Speaker}: {PhoneMask.InText(segment.Text)}";
            if (text.Length + line.Length > maxCharacters)
            {
                text.AppendLine("…");
                break;
            }
            text.AppendLine(line);
        }
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, text.ToString())];
    }

    private static string? Cap(string? text, int max) => text is null ? null : text.Length > max ? text[..max] : text;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1750, Level = LogLevel.Warning, Message = "The chat summariser's answer was unusable ({Reason}); the extractive draft is shown")]
        public static partial void Unusable(ILogger logger, string reason);

        [LoggerMessage(EventId = 1751, Level = LogLevel.Warning, Message = "The chat summariser failed ({ErrorType}); the extractive draft is shown")]
        public static partial void Failed(ILogger logger, string errorType);
    }
}
