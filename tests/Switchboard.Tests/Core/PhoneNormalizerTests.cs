using CsCheck;
using Microsoft.Extensions.Options;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;

namespace Switchboard.Tests.Core;

public sealed class PhoneNormalizerTests
{
    private static readonly PhoneNormalizer China = Create("CN");

    [Theory]
    [InlineData("13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("+86-138-0013-8000")]
    [InlineData("0086 13800138000")]
    [InlineData("(+86) 13800138000")]
    [InlineData("＋８６ １３８ ００１３ ８０００")]
    public void Normalize_CommonWritingsOfOneMobile_GiveOneE164(string raw)
    {
        var number = China.Normalize(raw);
        Assert.Equal(("+8613800138000", ContactPointStatus.Valid, raw), (number.E164, number.Status, number.Raw));
    }

    [Theory]
    [InlineData("010-6552 9988", "+861065529988")]
    [InlineData("(021) 5555 0100", "+862155550100")]
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    public void Normalize_LandlinesAndForeignNumbers(string raw, string e164) => Assert.Equal(e164, China.Normalize(raw).E164);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ask reception")]
    [InlineData("12")]
    [InlineData("+999 1234")]
    public void Normalize_WhatIsNotANumber_IsKeptRawAndFlagged(string raw)
    {
        var number = China.Normalize(raw);
        Assert.Equal((raw, null, ContactPointStatus.Invalid), (number.Raw, number.E164, number.Status));
    }

    [Fact]
    public void Normalize_ReadsNationalNumbersInTheConfiguredRegion()
    {
        Assert.Equal("+14155552671", Create("US").Normalize("(415) 555-2671").E164);
        Assert.NotEqual("+14155552671", China.Normalize("(415) 555-2671").E164);
        Assert.Throws<ArgumentException>(() => Create("ZZ"));
    }

    [Fact]
    public void Normalize_AnyCnMobileInAnyFormatting_GivesTheSameE164()
    {
        var prefixes = Gen.OneOf("130", "135", "138", "150", "186", "199");
        var separators = Gen.OneOf("", " ", "-", ".");
        var countryForms = Gen.OneOf("", "+86 ", "0086", "+86-", "(+86)");
        Gen.Select(prefixes, Gen.Int[0, 99_999_999], separators, countryForms).Sample((prefix, subscriber, separator, country) =>
        {
            var digits = prefix + subscriber.ToString("D8");
            var raw = country + digits[..3] + separator + digits[3..7] + separator + digits[7..];
            return China.Normalize(raw).E164 == "+86" + digits;
        });
    }

    [Fact]
    public void Normalize_NeverThrows_ForArbitraryText() =>
        Gen.String[0, 80].Sample(text =>
        {
            var number = China.Normalize(text);
            return number.Raw == text && (number.E164 is null) == (number.Status == ContactPointStatus.Invalid);
        });

    [Theory]
    [InlineData("138 0013 8000", true)]
    [InlineData("+86 (21) 5555-0100 ext. 8", true)]
    [InlineData("021-55550100转8", true)]
    [InlineData("１３８００１３８０００", true)]
    [InlineData("call me", false)]
    [InlineData("138-0013-8000 or 139", false)]
    [InlineData("12", false)]
    [InlineData("ext. 12", false)]
    public void LooksLikePhoneNumber(string text, bool expected) => Assert.Equal(expected, PhoneText.LooksLikePhoneNumber(text));

    private static PhoneNormalizer Create(string region) => new(Options.Create(new TelephonyOptions { DefaultRegion = region }));
}
