using System.Buffers;
using System.Text;

namespace Switchboard.Core.Telephony.Asterisk;

/// <summary>
/// Splits the AMI byte stream into messages (docs: Asterisk Manager Interface, "Key: Value\r\n" lines, a blank line
/// ends a message). Incremental: feed whatever the socket gave; a message cut between reads is completed by the
/// next. Lines without a colon (the greeting "Asterisk Call Manager/…") are skipped; a message larger than
/// <see cref="MaxMessageBytes"/> is a protocol error.
/// </summary>
public sealed class AmiParser
{
    /// <summary>The largest message accepted.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _pending = new();
    private Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);
    private int _messageBytes;

    /// <summary>Parses <paramref name="data"/> and returns the messages it completed.</summary>
    /// <exception cref="InvalidDataException">A message is larger than <see cref="MaxMessageBytes"/>.</exception>
    public List<AmiMessage> Feed(ReadOnlySpan<byte> data)
    {
        var messages = new List<AmiMessage>();
        ReadOnlySpan<byte> buffer;
        if (_pending.WrittenCount > 0)
        {
            _pending.Write(data);
            buffer = _pending.WrittenSpan;
        }
        else
        {
            buffer = data;
        }

        var consumed = 0;
        while (true)
        {
            var end = buffer[consumed..].IndexOf(LineEnd);
            if (end < 0)
            {
                break;
            }
            var line = buffer.Slice(consumed, end);
            consumed += end + 2;
            _messageBytes += end + 2;
            if (line.IsEmpty)
            {
                if (_fields.Count > 0)
                {
                    messages.Add(new AmiMessage(_fields));
                    _fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }
                _messageBytes = 0;
                continue;
            }
            var colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                var value = line[(colon + 1)..];
                if (!value.IsEmpty && value[0] == (byte)' ')
                {
                    value = value[1..];
                }
                _fields[Encoding.UTF8.GetString(line[..colon])] = Encoding.UTF8.GetString(value);
            }
            if (_messageBytes > MaxMessageBytes)
            {
                throw new InvalidDataException($"An AMI message is larger than {MaxMessageBytes} bytes.");
            }
        }

        var rest = buffer[consumed..];
        if (rest.Length + _messageBytes > MaxMessageBytes)
        {
            throw new InvalidDataException($"An AMI message is larger than {MaxMessageBytes} bytes.");
        }
        var copy = rest.ToArray();
        _pending.Clear();
        _pending.Write(copy);
        return messages;
    }
}
