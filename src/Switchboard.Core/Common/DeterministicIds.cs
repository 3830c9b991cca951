using System.Buffers.Binary;

namespace Switchboard.Core.Common;

/// <summary>GUIDv7 ids whose random part comes from a seeded <see cref="Random"/>, so demo data is reproducible.</summary>
internal static class DeterministicIds
{
    public static Guid At(DateTimeOffset at, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = at.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(ms >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)ms);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70); // version 7
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
