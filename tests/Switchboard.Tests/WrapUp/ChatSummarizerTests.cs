using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Core.WrapUp;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.WrapUp;

/// <summary>
/// The optional chat-model summariser, against a stand-in for a hosted model (no network): what it is sent, what it
/// makes of a good answer, and that every bad one — an error, a wrong shape, no answer in time — leaves the agent the
/// extractive draft.
/// </summary>
public sealed class ChatSummarizerTests
{
    private static readonly SummaryFacts Facts = new("王女士", "gold", "care", "a-7", false, TimeSpan.FromMinutes(4), ["T-1001"]);

    private static readonly SegmentView[] Transcript =
    [
        new("1", Speaker.Customer, 0, 4_000, "你好，我想把我们的产品升级到企业版，我的电话是 138 0013 8000。", "zh", true),
        new("2", Speaker.Agent, 4_000, 9_000, "好的，我会安排销售明天给您回电报价。", "zh", true),
        new("3", Speaker.Customer, 9_000, 9_500, "还有一个问", "zh", false),
    ];

    /// <summary>Answers as a model would, or fails as one can; records what it was asked.</summary>
    private sealed class StandIn(Func<IList<ChatMessage>, CancellationToken, Task<string>> answer) : IChatClient
    {
        public List<IList<ChatMessage>> Asked { get; } = [];

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            Asked.Add(list);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, await answer(list, cancellationToken))) { ModelId = "qwen-test" };
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static ChatSummarizer With(IChatClient chat, int timeoutSeconds = 15) =>
        new(chat, Options.Create(new SummarizerOptions { TimeoutSeconds = timeoutSeconds }), NullLogger<ChatSummarizer>.Instance);

    [Fact]
    public async Task AGoodAnswer_BecomesTheDraft_FromFactsAndTheFinalTranscript_WithNumbersMasked()
    {
        var model = new StandIn((_, _) => Task.FromResult("""{"summary":"王女士来电咨询升级企业版，已约定明天销售回电报价。","reason":"升级到企业版","points":["升级企业版"],"nextSteps":["明天销售回电报价"]}"""));
        var draft = await With(model).SummarizeAsync(Facts, Transcript, TestContext.Current.CancellationToken);

        Assert.Equal(("王女士来电咨询升级企业版，已约定明天销售回电报价。", "升级到企业版", "qwen-test", "zh"), (draft.Text, draft.Reason, draft.Engine, draft.Language));
        Assert.Equal(["明天销售回电报价"], draft.NextSteps);
        Assert.Equal(ExtractiveSummarizer.Keywords(Transcript), draft.Keywords); // the rules' keywords never depend on the model
        var sent = string.Join("\n", model.Asked.Single().Select(m => m.Text));
        Assert.Contains("王女士", sent, StringComparison.Ordinal);
        Assert.Contains("T-1001", sent, StringComparison.Ordinal);
        Assert.Contains("Agent: 好的，我会安排销售明天给您回电报价。", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("0013 8000", sent, StringComparison.Ordinal); // a number said aloud is masked before it leaves
        Assert.Contains("138 ****", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("还有一个问", sent, StringComparison.Ordinal); // partial segments are not sent
        Assert.Contains("简体中文", model.Asked[0][0].Text, StringComparison.Ordinal); // instructed in the call's language
    }

    public static TheoryData<string> BadAnswers => new() { "error", "not json", "wrong shape", "empty summary", "too slow" };

    [Theory, MemberData(nameof(BadAnswers))]
    public async Task ABadAnswer_LeavesTheExtractiveDraft(string kind)
    {
        var model = new StandIn(async (_, cancellationToken) => kind switch
        {
            "error" => throw new HttpRequestException("503 from the model server"),
            "not json" => "I'm sorry, I can't help with that.",
            "wrong shape" => """["a", "b"]""",
            "empty summary" => """{"summary":"  ","reason":"x"}""",
            _ => await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken).ContinueWith(_ => "{}", TaskScheduler.Default),
        });
        var draft = await With(model, timeoutSeconds: 1).SummarizeAsync(Facts, Transcript, TestContext.Current.CancellationToken);
        var extractive = ExtractiveSummarizer.Summarize(Facts, Transcript);
        Assert.Equal((extractive.Text, extractive.Reason, "extractive"), (draft.Text, draft.Reason, draft.Engine));
        Assert.Equal(extractive.NextSteps, draft.NextSteps);
    }

    [Fact]
    public async Task TheServer_DraftsWithAChatModel_OnlyWhenOneIsConfigured()
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var __ = store;
        using var ___ = app;
        Assert.IsType<ExtractiveSummarizer>(app.Services.GetRequiredService<ISummarizer>());

        var (store2, app2, _) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            ["WrapUp:Summarizer:Endpoint"] = "http://127.0.0.1:9/v1", ["WrapUp:Summarizer:Model"] = "qwen2.5-7b-instruct", ["WrapUp:Summarizer:TimeoutSeconds"] = "2",
        });
        await using var ____ = store2;
        using var _____ = app2;
        Assert.IsType<ChatSummarizer>(app2.Services.GetRequiredService<ISummarizer>());
        // Nothing listens there: the draft still comes, from the extractive engine.
        var draft = await app2.Services.GetRequiredService<ISummarizer>().SummarizeAsync(Facts, Transcript, TestContext.Current.CancellationToken);
        Assert.Equal("extractive", draft.Engine);
    }
}
