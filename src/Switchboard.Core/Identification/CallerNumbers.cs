namespace Switchboard.Core.Identification;

/// <summary>How telephony sources write a withheld number.</summary>
public static class CallerNumbers
{
    private static readonly HashSet<string> Withheld = new(StringComparer.OrdinalIgnoreCase)
    {
        "anonymous", "unknown", "restricted", "private", "withheld", "unavailable", "blocked", "no caller id",
        "匿名", "未知", "私人号码", "隐藏号码",
        // Twilio's caller id for a withheld number ("ANONYMOUS" on a keypad).
        "+266696687", "266696687",
    };

    /// <summary>True when the number is missing or one of the words PBXs and carriers use for a withheld one.</summary>
    public static bool IsWithheld(string? raw) =>
        string.IsNullOrWhiteSpace(raw) || Withheld.Contains(raw.Trim()) || raw.Trim().All(c => c == '0' || c == '+');
}
