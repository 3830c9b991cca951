using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Core.Audit;

/// <summary>A point of the chain kept outside the database: if the store's chain ends before it, or differs at it, entries were removed.</summary>
public sealed record AuditCheckpoint(long Sequence, string Mac, DateTime At);

/// <summary>The outcome of checking a chain: every entry good, or the first bad one and why.</summary>
public sealed record AuditVerification(long Entries, long? FirstBad, string? Reason)
{
    public bool Intact => FirstBad is null;
}

/// <summary>
/// The audit chain, pure: an entry's MAC is HMAC-SHA256(key, previous MAC ‖ the entry's fields, each length-prefixed,
/// in a fixed order), the first entry's previous MAC being 32 zero bytes. Length prefixes make the encoding
/// unambiguous whatever the fields contain.
/// </summary>
public static class AuditChain
{
    private static readonly byte[] Genesis = new byte[32];

    public static string Mac(byte[] key, string? previousMac, AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter(512);
        buffer.Write(previousMac is null ? Genesis : Convert.FromHexString(previousMac));
        buffer.Field(entry.Sequence.ToString(CultureInfo.InvariantCulture));
        buffer.Field(entry.At.Ticks.ToString(CultureInfo.InvariantCulture)); // ticks: the same whatever DateTimeKind the store returns
        buffer.Field(entry.Actor);
        buffer.Field(entry.Role);
        buffer.Field(entry.Channel.ToString());
        buffer.Field(entry.Action.ToString());
        buffer.Field(entry.RecordType);
        buffer.Field(entry.RecordId);
        buffer.Field(entry.CustomerId?.ToString("D") ?? "");
        buffer.Field(entry.CallId ?? "");
        buffer.Field(entry.Detail);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, buffer.Written));
    }

    /// <summary>
    /// Checks entries in sequence order: numbered 1, 2, 3… without a gap (a removed row), each MAC right (a changed
    /// byte, swapped rows, an inserted row), and each checkpoint found with its MAC (truncation).
    /// </summary>
    public static AuditVerification Verify(byte[] key, IEnumerable<AuditEntry> entries, IReadOnlyCollection<AuditCheckpoint>? checkpoints = null)
    {
        var pending = (checkpoints ?? []).OrderBy(c => c.Sequence).ToList();
        string? previous = null;
        long expected = 1;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expected)
            {
                return new AuditVerification(expected - 1, expected, entry.Sequence > expected
                    ? $"entries {expected}–{entry.Sequence - 1} are missing" : $"entry {entry.Sequence} is out of order");
            }
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, previous, entry)), Encoding.ASCII.GetBytes(entry.Mac)))
            {
                return new AuditVerification(expected - 1, entry.Sequence, "its MAC does not match its content and the entry before it");
            }
            foreach (var checkpoint in pending.TakeWhile(c => c.Sequence == entry.Sequence).ToList())
            {
                if (checkpoint.Mac != entry.Mac)
                {
                    return new AuditVerification(expected - 1, entry.Sequence, $"it differs from the checkpoint of {checkpoint.At:O}");
                }
                pending.Remove(checkpoint);
            }
            previous = entry.Mac;
            expected++;
        }
        return pending.Count > 0
            ? new AuditVerification(expected - 1, expected, $"the chain ends at {expected - 1}, before the checkpoint at entry {pending[0].Sequence} ({pending[0].At:O}): entries were removed")
            : new AuditVerification(expected - 1, null, null);
    }

    private sealed class ArrayBufferWriter(int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
            }
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Field(string value)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, Encoding.UTF8.GetByteCount(value));
            Write(length);
            Write(Encoding.UTF8.GetBytes(value));
        }
    }
}
