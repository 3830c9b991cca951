using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Knowledge;
using Switchboard.Core.Security;
using Switchboard.Core.Speech;
using Switchboard.Core.Telephony;
using Switchboard.Core.WrapUp;
using Switchboard.Data;
using Switchboard.Tests.Speech;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Knowledge;

/// <summary>The knowledge base through the real pipeline: articles, search, suggestions during a call, verdicts, learning drafts from calls, hot topics.</summary>
public sealed class KnowledgeBaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Articles_AreSuggestedDuringTheCall_AndTopicsWithoutOne_BecomeDrafts(StorageProvider provider)
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(provider, new Dictionary<string, string?> { ["Knowledge:LearnEveryMinutes"] = "0" });
        await using var _ = store;
        using var __ = app;
        var senior = await app.ClientAsync("senior-1", Role.SeniorAgent);
        var agent = await app.ClientAsync("agent-7", Role.Agent);
        var supervisor = await app.ClientAsync("sup-1", Role.Supervisor);

        // Articles: made by senior agents and up; every problem named; publishing needs an answer.
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJsonAsync("/api/v1/knowledge/articles", Lost())).StatusCode);
        var invalid = await Problem.ReadAsync(await senior.PostJsonAsync("/api/v1/knowledge/articles",
            new ArticleInput("", null, [], [new string('x', 49)], "zh-CN", null, ArticleStatus.Published)), HttpStatusCode.BadRequest);
        Assert.Equal(["answer", "questions", "tags[0]", "title"], invalid.Errors.Keys.Order());
        var lost = await (await senior.PostJsonAsync("/api/v1/knowledge/articles", Lost())).ReadAsync<ArticleView>();
        Assert.Equal(("senior-1", ArticleStatus.Published, 1L), (lost.Owner, lost.Status, lost.Version));
        var found = await (await agent.GetAsync("/api/v1/knowledge/search?q=" + Uri.EscapeDataString("我的信用卡被偷了"), Ct)).ReadAsync<List<ArticleSuggestion>>();
        Assert.Equal(lost.Id, found[0].Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/knowledge/search?q=", Ct)).StatusCode);

        var customer = await (await admin.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = "李娜", Region = "华东", ContactPoints = [new() { Value = "13700137000" }] }))
            .ReadAsync<CustomerView>();
        var source = await (await admin.PostJsonAsync("/api/v1/telephony/sources", new TelephonySourceInput
        {
            Name = "pbx", Kind = TelephonySourceKind.ZammadCti, Extensions = new Dictionary<string, string> { ["Emma"] = "agent-7" },
        })).ReadAsync<TelephonySourceCredentials>();
        await using var desktop = app.AgentHub("agent-7");
        var suggestions = new ConcurrentQueue<KnowledgeSuggestions>();
        desktop.On<KnowledgeSuggestions>("KnowledgeSuggestions", suggestions.Enqueue);
        await desktop.StartAsync(Ct);

        // During a call the customer's words bring the best articles to the agent; the agent says it helped.
        await SpeechAnalyticsTests.CtiAsync(admin, source.Token, """{"event":"newCall","from":"13700137000","direction":"in","callId":"k-0","user":["Emma"]}""");
        await SpeechAnalyticsTests.CtiAsync(admin, source.Token, """{"event":"answer","callId":"k-0","user":"Emma","direction":"in"}""");
        await admin.PostJsonAsync("/api/v1/calls/pbx/k-0/transcript", SpeechAnalyticsTests.Segments(("1", "customer", 0, "我的銀行卡丟了，怎么办？")));
        await Eventually.TrueAsync(() => !suggestions.IsEmpty, "The article should be suggested to the agent.");
        var suggested = Assert.Single(suggestions);
        Assert.Equal(("k-0", lost.Id), (suggested.CallId, suggested.Articles[0].Id));
        var rated = await (await agent.PostJsonAsync($"/api/v1/knowledge/articles/{lost.Id}/feedback", new ArticleFeedbackInput(true, "pbx", "k-0"))).ReadAsync<ArticleView>();
        Assert.Equal((1, 0), (rated.Helped, rated.NotHelped));
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.PostJsonAsync($"/api/v1/knowledge/articles/{lost.Id}/feedback", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await agent.PostJsonAsync($"/api/v1/knowledge/articles/{lost.Id}/feedback", new ArticleFeedbackInput(true, "pbx", "k-0"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.PostJsonAsync($"/api/v1/knowledge/articles/{lost.Id}/feedback",
            new ArticleFeedbackInput(true, new string('s', 64), new string('c', 200)))).StatusCode);
        await SpeechAnalyticsTests.CtiAsync(admin, source.Token, """{"event":"hangup","callId":"k-0","cause":"normalClearing","direction":"in"}""");

        // Six calls ask how to raise a credit limit, which no article answers; the agents answer, four calls end resolved.
        string[] asked = ["信用卡怎么提高额度？", "我想提高信用卡额度，怎么操作？", "信用卡额度能提高吗", "怎么申请提高信用卡的额度？", "信用卡额度太低了，能提高一点吗？", "请问信用卡怎样提高额度"];
        for (var i = 1; i <= asked.Length; i++)
        {
            await SpeechAnalyticsTests.CtiAsync(admin, source.Token, $$"""{"event":"newCall","from":"13700137000","direction":"in","callId":"k-{{i}}","user":["Emma"]}""");
            await SpeechAnalyticsTests.CtiAsync(admin, source.Token, $$"""{"event":"answer","callId":"k-{{i}}","user":"Emma","direction":"in"}""");
            await admin.PostJsonAsync($"/api/v1/calls/pbx/k-{i}/transcript", SpeechAnalyticsTests.Segments(
                ("1", "customer", 0, asked[i - 1]), ("2", "agent", 3_000, "您可以在手机银行的额度管理里申请提额，我们会在三个工作日内审核。")));
            await SpeechAnalyticsTests.CtiAsync(admin, source.Token, $$"""{"event":"hangup","callId":"k-{{i}}","cause":"normalClearing","direction":"in"}""");
            await Eventually.TrueAsync(() => app.WithDbAsync(db => db.CustomerQuestions.AnyAsync(q => q.CallId == $"pbx/k-{i}", Ct)).Result, "The call's question should be kept.");
            if (i <= 4)
            {
                await (await agent.PostJsonAsync($"/api/v1/calls/pbx/k-{i}/wrap-up", new WrapUpInput("客户咨询提额。", "resolved", null, null))).ReadAsync<WrapUpResult>();
            }
        }
        var questions = await app.WithDbAsync(db => db.CustomerQuestions.Where(q => q.CallId != "pbx/k-0").ToListAsync(Ct));
        Assert.Equal(6, questions.Count);
        Assert.All(questions, q => Assert.Equal(("华东", "您可以在手机银行的额度管理里申请提额，我们会在三个工作日内审核。"), (q.Region, q.Answer)));

        var learnt = await (await senior.PostJsonAsync("/api/v1/knowledge/topics/learn", new { })).ReadAsync<LearnResult>();
        var draftId = Assert.Single(learnt.Drafts);
        var draft = await (await senior.GetAsync($"/api/v1/knowledge/articles/{draftId}", Ct)).ReadAsync<ArticleView>();
        // A learnt draft quotes customers' questions and other agents' answers: only reviewers see it.
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/knowledge/articles/{draftId}", Ct)).StatusCode);
        Assert.DoesNotContain((await (await agent.GetAsync("/api/v1/knowledge/articles", Ct)).ReadAsync<Switchboard.Core.Common.Page<ArticleView>>()).Items, a => a.Id == draftId);
        Assert.Equal((ArticleStatus.Draft, "learned", "zh-CN"), (draft.Status, draft.Origin, draft.Language));
        Assert.Equal(6, draft.Questions.Count);
        Assert.Equal("您可以在手机银行的额度管理里申请提额，我们会在三个工作日内审核。", draft.Answer);
        var beforePublishing = await (await agent.GetAsync("/api/v1/knowledge/search?q=" + Uri.EscapeDataString("信用卡怎么提高额度"), Ct)).ReadAsync<List<ArticleSuggestion>>();
        Assert.DoesNotContain(beforePublishing, a => a.Id == draftId); // a draft is not suggested

        var hot = await (await supervisor.GetAsync("/api/v1/knowledge/topics?days=7", Ct)).ReadAsync<List<HotTopicView>>();
        var topic = hot.Single(t => t.DraftArticleId == draftId);
        Assert.Equal((6, 0, 6), (topic.Questions, topic.Previous, topic.Regions["华东"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/knowledge/topics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync("/api/v1/knowledge/topics?days=0", Ct)).StatusCode);

        // A reviewer publishes the draft (with the version read); it is found from then on. A second run drafts nothing again.
        var publish = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/knowledge/articles/{draftId}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new ArticleInput(draft.Title, draft.Answer, draft.Questions, ["信用卡"], "zh-CN", "senior-1", ArticleStatus.Published), options: SwitchboardApplication.Json),
        };
        publish.Headers.IfMatch.ParseAdd("\"1\"");
        Assert.Equal(2, (await (await senior.SendAsync(publish, Ct)).ReadAsync<ArticleView>()).Version);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/knowledge/articles/{draftId}") { Content = System.Net.Http.Json.JsonContent.Create(Lost(), options: SwitchboardApplication.Json) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        Assert.Equal(HttpStatusCode.Conflict, (await senior.SendAsync(stale, Ct)).StatusCode);
        var now = await (await agent.GetAsync("/api/v1/knowledge/search?q=" + Uri.EscapeDataString("信用卡额度怎么提高"), Ct)).ReadAsync<List<ArticleSuggestion>>();
        Assert.Equal(draftId, now[0].Id);
        Assert.Empty((await (await senior.PostJsonAsync("/api/v1/knowledge/topics/learn", new { })).ReadAsync<LearnResult>()).Drafts);
    }

    private static ArticleInput Lost() => new("银行卡挂失", "请立即在手机银行冻结卡片，或拨打客服热线挂失；新卡七个工作日内寄到。",
        ["我的银行卡丢了怎么办", "信用卡被偷了", "卡片遗失怎么挂失", "银行卡找不到了"], ["挂失"], "zh-CN", null, ArticleStatus.Published);

    [Theory]
    [InlineData("信用卡怎么提高额度？", true)]
    [InlineData("能不能帮我查一下账单", true)]
    [InlineData("我的卡到了吗", true)]
    [InlineData("How do I reset my PIN", true)]
    [InlineData("my card hasn't arrived?", true)]
    [InlineData("好的，谢谢", false)]
    [InlineData("I lost my card yesterday", false)]
    [InlineData("嗯", false)]
    public void Questions_AreRecognised_InBothLanguages(string text, bool question) => Assert.Equal(question, QuestionDetector.IsQuestion(text));
}

public sealed class DemoSpeechTests
{
    [Fact]
    public async Task TheDemo_SeedsRulesThatCompile_AndArticlesThatAreFound_Once()
    {
        var (store, app, admin) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        for (var run = 0; run < 2; run++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Switchboard.Core.Demo.DemoSpeech>().SeedAsync(TestContext.Current.CancellationToken);
        }
        var rules = await (await admin.GetAsync("/api/v1/speech/rules", TestContext.Current.CancellationToken)).ReadAsync<SpeechRulesView>();
        Assert.Equal((1, 5), (rules.Version, rules.Document.Rules!.Count));
        var found = await (await admin.GetAsync("/api/v1/knowledge/search?q=" + Uri.EscapeDataString("我的卡丢了"), TestContext.Current.CancellationToken)).ReadAsync<List<ArticleSuggestion>>();
        Assert.Equal("银行卡挂失", found[0].Title);
        Assert.Equal(6, await app.WithDbAsync(db => db.KnowledgeArticles.CountAsync(TestContext.Current.CancellationToken)));
    }
}
