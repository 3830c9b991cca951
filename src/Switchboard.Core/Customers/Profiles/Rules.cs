using Switchboard.Core.Common;

namespace Switchboard.Core.Customers.Profiles;

/// <summary>Field rules shared by several record types.</summary>
internal static class Rules
{
    public static void Currency(ValidationErrors errors, string field, string? currency)
    {
        if (string.IsNullOrWhiteSpace(currency))
        {
            errors.Add(field, "is required.");
        }
        else if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add(field, "must be an ISO 4217 code of three capital letters, e.g. CNY.");
        }
    }

    public static void Amount(ValidationErrors errors, string field, decimal? amount, bool required)
    {
        if (amount is null)
        {
            if (required)
            {
                errors.Add(field, "is required.");
            }
        }
        else if (amount < 0 || amount > 1_000_000_000_000m)
        {
            errors.Add(field, "must be between 0 and 1,000,000,000,000.");
        }
        else if (decimal.Round(amount.Value, 4) != amount)
        {
            errors.Add(field, "must have at most 4 decimal places.");
        }
    }

    public static void Enum<TEnum>(ValidationErrors errors, string field, TEnum? value) where TEnum : struct, System.Enum
    {
        if (value is { } v)
        {
            errors.Defined(field, v);
        }
    }

    public static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;

    public static DateTime? Utc(DateTimeOffset? value) => value?.UtcDateTime;

    public static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
