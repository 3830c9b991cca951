using System.Text;
using CsCheck;
using Switchboard.Core.Audit;

namespace Switchboard.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a key of thirty-two bytes or more");

    private static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        string? mac = null;
        for (var i = 1; i <= count; i++)
        {
            var entry = new AuditEntry
            {
                Sequence = i, At = new DateTime(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc).AddTicks(i * 10), Actor = "agent-" + i % 3, Role = "agent",
                Channel = AuditChannel.Rest, Action = (AuditAction)(i % 6), RecordType = "customer", RecordId = Guid.Empty.ToString(),
                CustomerId = i % 2 == 0 ? Guid.Empty : null, CallId = i % 4 == 0 ? "twilio/CA" + i : null,
                Detail = "{\"changes\":{\"displayName\":{\"before\":\"王芳" + i + "\",\"after\":\"王芳\"}}}",
            };
            entry.Mac = mac = AuditChain.Mac(Key, mac, entry);
            entries.Add(entry);
        }
        return entries;
    }

    private static AuditEntry Copy(AuditEntry e) => new()
    {
        Sequence = e.Sequence, At = e.At, Actor = e.Actor, Role = e.Role, Channel = e.Channel, Action = e.Action, RecordType = e.RecordType,
        RecordId = e.RecordId, CustomerId = e.CustomerId, CallId = e.CallId, Detail = e.Detail, Mac = e.Mac,
    };

    [Fact]
    public void AnUntouchedChain_IsIntact_AndTheSameDateReadWithAnotherKindStillVerifies()
    {
        var chain = Chain(50);
        Assert.Equal(new AuditVerification(50, null, null), AuditChain.Verify(Key, chain));
        // SQLite hands dates back unspecified, PostgreSQL as UTC: the chain covers the instant, not the kind.
        var read = chain.Select(Copy).ToList();
        read.ForEach(e => e.At = DateTime.SpecifyKind(e.At, DateTimeKind.Unspecified));
        Assert.True(AuditChain.Verify(Key, read).Intact);
        Assert.False(AuditChain.Verify(Encoding.UTF8.GetBytes("another key, also thirty-two bytes"), chain).Intact);
    }

    [Fact]
    public void AFlippedByteInAnyField_IsFoundAtItsEntry() =>
        Gen.Select(Gen.Int[2, 40], Gen.Int[0, 1_000], Gen.Int[0, 6]).Sample((count, at, field) =>
        {
            var chain = Chain(count).Select(Copy).ToList();
            var victim = chain[at % count];
            switch (field)
            {
                case 0: victim.Detail = victim.Detail.Replace("王芳", "王方", StringComparison.Ordinal); break;
                case 1: victim.Actor += "x"; break;
                case 2: victim.At = victim.At.AddTicks(10); break;
                case 3: victim.Action = victim.Action == AuditAction.Read ? AuditAction.Update : AuditAction.Read; break;
                case 4: victim.CallId = victim.CallId is null ? "forged" : null; break;
                case 5: victim.RecordType = "ticket"; break;
                default: victim.Mac = victim.Mac[..^1] + (victim.Mac[^1] == '0' ? '1' : '0'); break;
            }
            var result = AuditChain.Verify(Key, chain);
            Assert.Equal(victim.Sequence, result.FirstBad);
            Assert.Equal(victim.Sequence - 1, result.Entries);
        });

    [Fact]
    public void ADeletedRow_TwoRowsSwapped_OrAForgedRowInserted_IsFoundWhereItHappened() =>
        Gen.Select(Gen.Int[3, 40], Gen.Int[0, 1_000], Gen.Int[0, 2]).Sample((count, at, kind) =>
        {
            var chain = Chain(count).Select(Copy).ToList();
            var i = 1 + at % (count - 2); // not the last: deleting the last is truncation, below
            long expected;
            switch (kind)
            {
                case 0:
                    chain.RemoveAt(i);
                    expected = i + 1; // the number that is missing
                    break;
                case 1:
                    (chain[i], chain[i + 1]) = (chain[i + 1], chain[i]);
                    expected = i + 1;
                    break;
                default:
                    // A forger without the key renumbers the rest; the forged entry's MAC cannot be right.
                    var forged = Copy(chain[i]);
                    forged.Detail = "{}";
                    chain.Insert(i, forged);
                    for (var n = 0; n < chain.Count; n++)
                    {
                        chain[n].Sequence = n + 1;
                    }
                    expected = i + 1;
                    break;
            }
            Assert.Equal(expected, AuditChain.Verify(Key, chain).FirstBad);
        });

    [Fact]
    public void TruncationAfterTheLastCheckpoint_IsCaughtByTheCheckpointKeptOutside()
    {
        var chain = Chain(30);
        var checkpoint = new AuditCheckpoint(25, chain[24].Mac, chain[24].At);
        Assert.True(AuditChain.Verify(Key, chain, [checkpoint]).Intact);
        var truncated = chain.Take(20).ToList(); // the last ten rows deleted: the chain itself is still consistent
        Assert.True(AuditChain.Verify(Key, truncated).Intact);
        var caught = AuditChain.Verify(Key, truncated, [checkpoint]);
        Assert.Equal(21, caught.FirstBad);
        Assert.Contains("before the checkpoint at entry 25", caught.Reason, StringComparison.Ordinal);
        // An entry at the checkpoint that differs from it is caught there.
        var rewritten = chain.Select(Copy).ToList();
        rewritten[24].Mac = new string('0', 64);
        Assert.Equal(25, AuditChain.Verify(Key, rewritten, [checkpoint]).FirstBad);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("王芳", "王芳")]
    [InlineData("", "")]
    public void CsvCells_CannotRunAsFormulas(string value, string cell) => Assert.Equal(cell, AuditQuery.Cell(value));
}
