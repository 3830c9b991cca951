using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Switchboard.Core.Mapping;

/// <summary>What a transform needs beyond the value: the spec's region for phone numbers and time zone for dates.</summary>
public sealed record TransformContext(string Region, TimeZoneInfo TimeZone);

/// <summary>
/// One step of cleansing on the way in, with its inverse on the way out where it has one. Named in a spec as
/// <c>name</c> or <c>name:argument</c>: <c>trim</c>, <c>collapse</c>, <c>halfwidth</c>, <c>upper</c>, <c>lower</c>,
/// <c>digits</c>, <c>e164</c>, <c>amount</c>, <c>date:FORMAT</c>, <c>split:SEPARATOR</c>.
/// </summary>
public sealed partial class Transform
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private readonly Func<string, TransformContext, Step> _in;
    private readonly Func<string, TransformContext, string>? _out;

    /// <summary>A value, or why there is none.</summary>
    public readonly record struct Step(string? Value, string? Error);

    private Transform(string text, Func<string, TransformContext, Step> @in, Func<string, TransformContext, string>? @out, bool splits = false) =>
        (Text, _in, _out, Splits) = (text, @in, @out, splits);

    /// <summary>As written in the spec.</summary>
    public string Text { get; }

    /// <summary>Whether it makes a list (<c>split</c>): the last step, for list fields only.</summary>
    public bool Splits { get; }

    /// <summary>The separator of <c>split</c>.</summary>
    public string? Separator { get; private init; }

    public Step In(string value, TransformContext context) => _in(value, context);

    /// <summary>The value on the way out: the inverse where there is one (dates back to their format), else unchanged.</summary>
    public string Out(string value, TransformContext context) => _out?.Invoke(value, context) ?? value;

    public static readonly string[] Names = ["trim", "collapse", "halfwidth", "upper", "lower", "digits", "e164", "amount", "date:FORMAT", "split:SEPARATOR"];

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    private static readonly string[] CurrencyMarks = ["¥", "￥", "$", "€", "£", "元", "RMB", "CNY", "USD", "EUR", ",", "，", " ", "\u00A0"];

    /// <summary>The transform a spec names, or why it names none.</summary>
    public static (Transform? Transform, string? Error) Of(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (name, argument) = colon < 0 ? (text.Trim(), null) : (text[..colon].Trim(), text[(colon + 1)..]);
        return name switch
        {
            "trim" when argument is null => (new(text, (v, _) => new(v.Trim(), null), null), null),
            "collapse" when argument is null => (new(text, (v, _) => new(Whitespace().Replace(v, " "), null), null), null),
            "halfwidth" when argument is null => (new(text, (v, _) => new(HalfWidth(v), null), null), null),
            "upper" when argument is null => (new(text, (v, _) => new(v.ToUpperInvariant(), null), null), null),
            "lower" when argument is null => (new(text, (v, _) => new(v.ToLowerInvariant(), null), null), null),
            "digits" when argument is null => (new(text, (v, _) => new(string.Concat(v.Where(char.IsAsciiDigit)), null), null), null),
            "e164" when argument is null => (new(text, E164, null), null),
            "amount" when argument is null => (new(text, Amount, null), null),
            "date" when argument is { Length: > 0 and <= 64 } format => Date(text, format),
            "split" when argument is { Length: > 0 and <= 8 } separator => (new(text, (v, _) => new(v, null), (v, _) => v, splits: true) { Separator = separator }, null),
            _ => (null, $"'{(text.Length > 40 ? text[..40] : text)}' is not a transform: use {string.Join(", ", Names)}."),
        };
    }

    /// <summary>Full-width forms (U+FF01–U+FF5E) and the ideographic space to their half-width ASCII: <c>ＡＢＣ１２３</c> → <c>ABC123</c>. Nothing else changes.</summary>
    public static string HalfWidth(string value)
    {
        if (!value.Any(c => c is >= '\uFF01' and <= '\uFF5E' or '\u3000'))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            });
        }
        return builder.ToString();
    }

    private static Step E164(string value, TransformContext context)
    {
        var text = HalfWidth(value).Trim();
        if (text.Length is 0 or > 64 || !text.Any(char.IsAsciiDigit))
        {
            return new(null, "is not a phone number.");
        }
        try
        {
            var parsed = Phones.Parse(text, context.Region);
            return Phones.IsPossibleNumber(parsed) ? new(Phones.Format(parsed, PhoneNumberFormat.E164), null) : new(null, "is not a possible phone number.");
        }
        catch (NumberParseException)
        {
            return new(null, "is not a phone number.");
        }
    }

    private static Step Amount(string value, TransformContext context)
    {
        var text = HalfWidth(value).Trim();
        foreach (var mark in CurrencyMarks)
        {
            text = text.Replace(mark, "", StringComparison.OrdinalIgnoreCase);
        }
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? new(amount.ToString(CultureInfo.InvariantCulture), null)
            : new(null, "is not an amount.");
    }

    private static (Transform?, string?) Date(string text, string format)
    {
        try
        {
            _ = DateTime.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return (null, $"'{text}' has a date format .NET does not know.");
        }
        return (new(text,
            (v, context) => DateTime.TryParseExact(v.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local)
                ? new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), context.TimeZone).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), null)
                : new(null, $"is not a date in the form {format}."),
            (v, context) => DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
                ? TimeZoneInfo.ConvertTimeFromUtc(utc, context.TimeZone).ToString(format, CultureInfo.InvariantCulture)
                : v), null);
    }
}
