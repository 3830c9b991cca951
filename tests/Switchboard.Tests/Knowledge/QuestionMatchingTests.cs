using System.Globalization;
using Switchboard.Core.Knowledge;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Knowledge;

/// <summary>
/// Question matching (docs/quality.md): banking77 (real questions, ../shared/data) and the generated Chinese set, one
/// article per intent with its training questions as the variants; every fifth question of each intent is held out
/// and asked. Floors guard against regressions; the figures are in docs/quality.md.
/// </summary>
public sealed class QuestionMatchingTests
{
    public static (double Top1, double Top3, int Asked) Measure(List<(string Text, string Category)> rows, string language)
    {
        using var index = new KnowledgeIndex();
        var held = new List<(string Text, Guid Article)>();
        var articles = new List<IndexedArticle>();
        foreach (var intent in rows.GroupBy(r => r.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var id = Guid.CreateVersion7();
            var questions = new List<string>();
            var i = 0;
            foreach (var (text, _) in intent)
            {
                if (i++ % 5 == 4)
                {
                    held.Add((text, id));
                }
                else
                {
                    questions.Add(text);
                }
            }
            articles.Add(new IndexedArticle(id, intent.Key.Replace('_', ' '), "", questions, language, 0, 0));
        }
        index.Load(articles);
        int top1 = 0, top3 = 0;
        foreach (var (text, article) in held)
        {
            var found = index.Search(text, 3);
            top1 += found.Count > 0 && found[0].Id == article ? 1 : 0;
            top3 += found.Any(f => f.Id == article) ? 1 : 0;
        }
        return ((double)top1 / held.Count, (double)top3 / held.Count, held.Count);
    }

    [Theory]
    [InlineData("banking77", 0.80, 0.92)]
    [InlineData("zh", 0.65, 0.90)]
    public void HeldOutQuestions_FindTheirIntentsArticle(string set, double top1Floor, double top3Floor)
    {
        var rows = set == "banking77"
            ? LabelledQuestions.Read(SharedData.Find("banking77-train.csv"))
            : LabelledQuestions.Read(Path.Combine(Repository.Root(), "tests", "Switchboard.Tests", "Data", "zh-bank-questions.csv"));
        var (top1, top3, asked) = Measure(rows, set == "zh" ? "zh-CN" : "en");
        TestContext.Current.TestOutputHelper!.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{set}: top-1 {top1:P1}, top-3 {top3:P1} of {asked} held-out questions"));
        Assert.True(top1 >= top1Floor && top3 >= top3Floor, string.Create(CultureInfo.InvariantCulture, $"{set}: top-1 {top1:P1}, top-3 {top3:P1}"));
    }

    [Fact]
    public void TheAnalyzer_FoldsCutsAndStems_BothLanguages()
    {
        using var analyzer = new SpeechAnalyzer();
        Assert.Equal(["card", "arriv"], analyzer.Terms("My cards haven't arrived?"));
        Assert.Equal(["get", "card", "charg"], analyzer.Terms("Can I get my card charged"));
        Assert.Equal(["卡片", "没到", "_我的", "_的卡", "_卡片", "_片还", "_还没", "_没到", "_到呢"], analyzer.Terms("我的卡片還沒到呢？"));
        Assert.Equal(["_我的", "app", "登录", "不了", "_登录", "_录不", "_不了"], analyzer.Terms("我的ＡＰＰ登录不了"));
    }

    [Fact]
    public void AnExactVariant_Wins_RetiredArticlesLeave_AndVerdictsMoveLittle()
    {
        using var index = new KnowledgeIndex();
        var (a, b) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        index.Load([
            new IndexedArticle(a, "挂失", "拨打客服挂失", ["我的卡丢了怎么办", "银行卡被偷了"], "zh-CN", 0, 0),
            new IndexedArticle(b, "Card lost", "Freeze the card in the app", ["I lost my card", "my card was stolen"], "en", 0, 0),
        ]);
        Assert.Equal(a, index.Search("我的卡丢了怎么办？")[0].Id);
        Assert.Equal("我的卡丢了怎么办", index.Search("我的卡丢了怎么办？")[0].Question);
        Assert.Equal(b, index.Search("someone stole my card")[0].Id);
        Assert.Empty(index.Search("someone stole my card", language: "zh-CN"));
        Assert.Empty(index.Search("的了吗"));
        index.Remove(b);
        Assert.Empty(index.Search("someone stole my card"));
        index.Upsert(new IndexedArticle(b, "Card lost", "Freeze it", ["I lost my card"], "en", 50, 0));
        Assert.Equal(b, Assert.Single(index.Search("lost card")).Id);
    }
}
