using System.Globalization;
using Switchboard.Core.Speech;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Speech;

/// <summary>The built-in lexicon scorer: its rules on single sentences, and its accuracy on labelled sets (docs/quality.md).</summary>
public sealed class SentimentTests
{
    private static readonly LexiconSentimentScorer Scorer = LexiconSentimentScorer.Default;

    [Theory]
    [InlineData("I am very happy with the service", "I am happy with the service", "en")]
    [InlineData("服务非常好", "服务好", "zh")]
    public void AnIntensifier_MakesItStronger(string stronger, string plain, string language) =>
        Assert.True(Scorer.Score(stronger, language) > Scorer.Score(plain, language) && Scorer.Score(plain, language) > 0);

    [Theory]
    [InlineData("I am not happy with this", "en")]
    [InlineData("我一点都不满意", "zh")]
    [InlineData("你們的服務太差了", "zh")]
    [InlineData("This is ridiculous, I want to speak to your manager!", "en")]
    public void NegativeSentences_ScoreBelowZero(string text, string language) => Assert.True(Scorer.Score(text, language) < -0.05, $"{Scorer.Score(text, language)}");

    [Theory]
    [InlineData("the delivery was late but the agent was great", "en")]
    [InlineData("虽然等了很久，但是问题解决得很好", "zh")]
    public void AfterAContrast_TheSecondClauseCountsMore(string text, string language) => Assert.True(Scorer.Score(text, language) > 0, $"{Scorer.Score(text, language)}");

    [Fact]
    public void Scores_StayWithinMinusOneToOne_AndNeutralTextIsZero()
    {
        Assert.Equal(0, Scorer.Score("I would like to change my address", "en"));
        Assert.Equal(0, Scorer.Score("请问怎么修改地址", "zh"));
        Assert.InRange(Scorer.Score(string.Concat(Enumerable.Repeat("terrible awful horrible ", 50)), "en"), -1, -0.9);
    }

    /// <summary>
    /// Accuracy on the labelled sets (tests/Switchboard.Tests/Data/SENTIMENT-README.md): negative below −0.05, positive
    /// above 0.05, neutral between (VADER's thresholds). The floors guard against regressions; the figures are in docs/quality.md.
    /// </summary>
    [Theory]
    [InlineData("sentiment-en.tsv", "en", 0.60)]
    [InlineData("sentiment-zh.tsv", "zh", 0.65)]
    [InlineData("sentiment-en-public.tsv", "en", 0.65)]
    public void Accuracy_OnALabelledSet_StaysAboveItsFloor(string file, string language, double floor)
    {
        var rows = File.ReadLines(Path.Combine(Repository.Root(), "tests", "Switchboard.Tests", "Data", file)).Skip(1)
            .Select(l => l.Split('\t', 2)).ToList();
        var twoWay = rows.All(r => r[0] != "neutral");
        var right = 0;
        var confusion = new Dictionary<(string, string), int>();
        foreach (var row in rows)
        {
            var score = Scorer.Score(row[1], language);
            var predicted = score > 0.05 ? "positive" : score < -0.05 || twoWay && score <= 0 ? "negative" : "neutral";
            right += predicted == row[0] ? 1 : 0;
            confusion[(row[0], predicted)] = confusion.GetValueOrDefault((row[0], predicted)) + 1;
        }
        var accuracy = (double)right / rows.Count;
        TestContext.Current.TestOutputHelper!.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: accuracy {accuracy:P1} of {rows.Count}; {string.Join(", ", confusion.OrderBy(c => c.Key).Select(c => $"{c.Key.Item1}→{c.Key.Item2} {c.Value}"))}"));
        Assert.True(accuracy >= floor, $"{file}: accuracy {accuracy:P1} fell below {floor:P0}");
    }
}
