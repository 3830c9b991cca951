using CsCheck;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;

namespace Switchboard.Tests.Core;

public sealed class SearchKeysAndIdsTests
{
    [Theory]
    [InlineData("ＡＢＣ科技有限公司", "abc科技有限公司")]
    [InlineData("  Zhang   Wei ", "zhang wei")]
    [InlineData("Ｊｏｈｎ　Ｓｍｉｔｈ", "john smith")]
    public void NameKey_FoldsWidthCaseAndSpaces(string name, string key) => Assert.Equal(key, SearchKeys.Name(name));

    [Fact]
    public void NameKey_IsIdempotent() => Gen.String[0, 40].Sample(s => SearchKeys.Name(SearchKeys.Name(s)) == SearchKeys.Name(s));

    [Fact]
    public void DeterministicIds_AreVersion7_OrderedByTime_AndReproducible() =>
        Gen.Select(Gen.Long[0, 200_000_000_000], Gen.Long[1, 1_000_000], Gen.Int).Sample((ms, gap, seed) =>
        {
            var earlier = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            var later = earlier.AddMilliseconds(gap);
            var a = DeterministicIds.At(earlier, new Random(seed));
            var b = DeterministicIds.At(later, new Random(seed));
            var bytes = a.ToByteArray(bigEndian: true);
            return a.Version == 7 && (bytes[8] & 0xC0) == 0x80 && a.CompareTo(b) < 0
                && a == DeterministicIds.At(earlier, new Random(seed))
                && string.CompareOrdinal(a.ToString(), b.ToString()) < 0;
        });

    [Fact]
    public void Cursor_RoundTrips_AndRejectsForeignText()
    {
        Gen.Guid.Sample(id => Cursor.TryDecode(Cursor.Encode(id), out var back) && back == id);
        Assert.False(Cursor.TryDecode("'; DROP TABLE x;--", out _));
        Assert.False(Cursor.TryDecode(Guid.Empty.ToString(), out _));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, 200, true)]
    [InlineData(null, 201, false)]
    [InlineData(null, 0, false)]
    [InlineData("zz", 10, false)]
    public void PageRequest_Validates(string? cursor, int? limit, bool ok) => Assert.Equal(ok, new PageRequest(cursor, limit).Resolve().IsSuccess);
}
