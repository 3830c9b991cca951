namespace Switchboard.Core.Speech;

/// <summary>A rule set as written (docs/speech.md): rules, each a list of conditions that must all hold and the actions it takes.</summary>
public sealed record SpeechRuleSetDocument(IReadOnlyList<SpeechRuleDocument>? Rules);

/// <summary>One rule as written; nullable so that validation names every missing part.</summary>
/// <param name="Id">Stable id (letters, digits, <c>-</c>, <c>_</c>), used in firings and reports.</param>
/// <param name="Name">For people.</param>
/// <param name="When">Conditions, all of which must hold.</param>
/// <param name="Actions">What happens when it fires.</param>
/// <param name="MaxPerCall">How often it may fire in one call (default 1); after a firing its said-conditions need new words.</param>
/// <param name="Enabled">False keeps the rule without running it.</param>
public sealed record SpeechRuleDocument(
    string? Id, string? Name, IReadOnlyList<SpeechConditionDocument>? When, IReadOnlyList<SpeechActionDocument>? Actions,
    int? MaxPerCall = null, bool? Enabled = null);

/// <summary>
/// One condition: exactly one of <see cref="Said"/>, <see cref="NotSaid"/>, <see cref="Near"/>, <see cref="Sentiment"/>,
/// <see cref="Silence"/>, <see cref="Interruptions"/>, <see cref="Facts"/>; narrowed by <see cref="By"/> and a window.
/// </summary>
/// <param name="Said">Any of these phrases is said (<c>cancel*</c> ends in a wildcard; Chinese and English alike).</param>
/// <param name="NotSaid">None of these is said within the window (decided when the window closes, or when the call ends).</param>
/// <param name="Near">All of these words are said within <see cref="Within"/> words of each other in one segment.</param>
/// <param name="Within">For <see cref="Near"/>: the most words from the first to the last (default 5).</param>
/// <param name="Sentiment">The speaker's smoothed sentiment stays below a threshold for a time.</param>
/// <param name="Silence">Nobody speaks for longer than this many milliseconds.</param>
/// <param name="Interruptions">The speaker starts over the other this many times or more.</param>
/// <param name="Facts">A condition on the call's and customer's facts, in the routing rules' language (<c>tier == 'vip' &amp;&amp; openComplaint</c>).</param>
/// <param name="By"><c>customer</c>, <c>agent</c> or <c>either</c> (default).</param>
/// <param name="First">Only the first this many seconds of the call.</param>
/// <param name="Last">Only the last this many seconds (decided when the call ends).</param>
public sealed record SpeechConditionDocument(
    IReadOnlyList<string>? Said = null, IReadOnlyList<string>? NotSaid = null, IReadOnlyList<string>? Near = null, int? Within = null,
    SentimentConditionDocument? Sentiment = null, int? Silence = null, int? Interruptions = null, string? Facts = null,
    string? By = null, int? First = null, int? Last = null);

/// <summary>Sentiment below <see cref="Below"/> (on −1…1) for at least <see cref="ForSeconds"/>.</summary>
public sealed record SentimentConditionDocument(double? Below, int? ForSeconds);

/// <summary>
/// One action: <c>script</c> or <c>warning</c> (a card on the agent's desktop with <see cref="Title"/> and <see cref="Body"/>),
/// <c>alertSupervisor</c> (<see cref="Body"/> is the message), <c>escalate</c> (an escalation on the customer's open ticket and a
/// warm transfer to <see cref="Group"/>: <see cref="Transfer"/> <c>suggest</c> or <c>perform</c>), <c>tag</c> (<see cref="Tag"/> on the call).
/// </summary>
public sealed record SpeechActionDocument(string? Type, string? Title = null, string? Body = null, string? Group = null, string? Transfer = null, string? Tag = null);
