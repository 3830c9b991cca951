using Switchboard.Core.WrapUp;

namespace Switchboard.Tests.WrapUp;

public sealed class SummarizerTests
{
    private static SegmentView S(Speaker speaker, int at, string text, string language = "zh-CN") => new($"s{at}", speaker, at, at + 900, text, language, true);

    private static readonly SummaryFacts Facts = new("张伟", "vip", "sales", "agent-7", false, TimeSpan.FromSeconds(185), ["TK-20261120-0A1B2C3D"]);

    [Fact]
    public void AChineseCall_GivesWhoWhyWhatAndNextSteps_InChinese()
    {
        var draft = ExtractiveSummarizer.Summarize(Facts,
        [
            S(Speaker.Agent, 0, "您好，这里是客服中心，请问有什么可以帮您？"),
            S(Speaker.Customer, 1000, "你好，我想把我们公司的软件升级到企业版。"),
            S(Speaker.Customer, 2000, "现在的标准版用户数不够了，企业版的价格是多少？"),
            S(Speaker.Agent, 3000, "企业版按用户数计价，升级后用户数不限。"),
            S(Speaker.Customer, 4000, "企业版的升级需要多久？"),
            S(Speaker.Agent, 5000, "我会安排销售同事明天给您回电，介绍企业版的报价。"),
        ]);
        Assert.Equal("zh", draft.Language);
        Assert.Equal("你好，我想把我们公司的软件升级到企业版。", draft.Reason);
        Assert.Equal(["我会安排销售同事明天给您回电，介绍企业版的报价。"], draft.NextSteps);
        Assert.Contains("企业", draft.Keywords);
        Assert.Contains("升级", draft.Keywords);
        Assert.StartsWith("客户：张伟（vip） · 来电（sales） · 通话 3 分 5 秒", draft.Text, StringComparison.Ordinal);
        Assert.Contains("来电原因：你好，我想把我们公司的软件升级到企业版。", draft.Text, StringComparison.Ordinal);
        Assert.Contains("约定与下一步：我会安排销售同事明天给您回电", draft.Text, StringComparison.Ordinal);
        Assert.Contains("相关未结工单：TK-20261120-0A1B2C3D", draft.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("您好，这里是客服中心", draft.Points); // a greeting carries nothing
    }

    [Fact]
    public void AnEnglishCall_IsSummarisedInEnglish_WithStemmedKeywords()
    {
        var draft = ExtractiveSummarizer.Summarize(Facts with { CustomerName = "Emma Stone", Tier = null, Queue = null, Duration = null },
        [
            S(Speaker.Agent, 0, "Hello, thanks for calling. How can I help?", "en-US"),
            S(Speaker.Customer, 1000, "My invoice shows the wrong billing address. I need the invoices corrected.", "en-US"),
            S(Speaker.Agent, 2000, "I see the billing address on the invoice is old.", "en-US"),
            S(Speaker.Agent, 3000, "I'll send you a corrected invoice by email tomorrow.", "en-US"),
        ]);
        Assert.Equal("en", draft.Language);
        Assert.Equal("I need the invoices corrected.", draft.Reason);
        Assert.Equal(["I'll send you a corrected invoice by email tomorrow."], draft.NextSteps);
        Assert.Contains("invoice", draft.Keywords); // invoices and invoice are one word
        Assert.StartsWith("Customer: Emma Stone · inbound call\n", draft.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialSegmentsAreLeftOut_AndACallWithoutTranscriptStillHasItsFacts()
    {
        var draft = ExtractiveSummarizer.Summarize(Facts, [S(Speaker.Customer, 0, "我想退", "zh-CN") with { Final = false }]);
        Assert.Null(draft.Reason);
        Assert.Contains("来电原因：（无通话记录）", draft.Text, StringComparison.Ordinal);
        Assert.Contains("张伟", draft.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FullWidthText_TokenisesLikeHalfWidth() =>
        Assert.Equal(ExtractiveSummarizer.Tokens("ＶＩＰ升级ＡＢＣ"), ExtractiveSummarizer.Tokens("vip升级abc"));
}
