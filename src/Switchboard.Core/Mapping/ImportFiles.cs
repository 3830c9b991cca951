using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Switchboard.Core.Mapping;

/// <summary>
/// Reads files to import, streaming, one <see cref="SourceRow"/> at a time: CSV with a header row (CsvHelper: quoted
/// fields with embedded newlines and quotes, a byte-order mark choosing UTF-8 or UTF-16, else the encoding given —
/// GB18030 for Chinese Excel exports) and JSON Lines (one object per line). A row that cannot be read becomes a row
/// with its reason, for the quarantine; it never stops the file. A leading apostrophe that a spreadsheet export put
/// before <c>= + - @</c> to defuse a formula is taken off (the value is text here and is escaped again on export).
/// </summary>
public static class ImportFiles
{
    public const int MaxFields = 500;
    public const int MaxLine = 1_000_000;

    static ImportFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>An encoding by name (utf-8, utf-16, gb18030, gbk, big5), or null.</summary>
    public static Encoding? EncodingOf(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>CSV rows; <paramref name="encoding"/> null honours a byte-order mark and assumes UTF-8 otherwise.</summary>
    public static async IAsyncEnumerable<SourceRow> ReadCsvAsync(Stream stream, Encoding? encoding, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var malformed = new Dictionary<long, string>();
        var options = new CsvReaderOptions
        {
            Encoding = encoding, TrackLineNumbers = true, MaxRecordSize = MaxLine, MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => malformed[m.RecordNumber] = $"malformed CSV ({m.Reason}).",
        };
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        long record = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            string? error = null;
            try
            {
                more = await csv.ReadAsync(cancellationToken);
            }
            catch (CsvFormatException e)
            {
                (more, error) = (false, "the rest of the file could not be read as CSV: " + (e.Message.Length > 200 ? e.Message[..200] : e.Message));
            }
            if (error is not null)
            {
                yield return new SourceRow(record + 2, null, error, "");
                yield break;
            }
            if (!more)
            {
                yield break;
            }
            record++;
            var fields = new string[Math.Min(csv.FieldCount, MaxFields + 1)];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }
            var raw = JsonSerializer.Serialize(fields);
            if (malformed.Remove(record, out var reason) || malformed.Remove(record + 1, out reason))
            {
                error = reason;
            }
            else if (fields.Length > MaxFields)
            {
                error = $"has more than {MaxFields} fields.";
            }
            if (error is not null)
            {
                yield return new SourceRow(csv.LineNumber, null, error, raw);
                continue;
            }
            var values = new Dictionary<string, string?>(header.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                values.TryAdd(header[i], i < fields.Length ? Defused(fields[i]) : null);
            }
            yield return new SourceRow(csv.LineNumber, values, null, raw);
        }
    }

    public static async IAsyncEnumerable<SourceRow> ReadJsonLinesAsync(Stream stream, Encoding? encoding, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, encoding ?? Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (line.Length > MaxLine)
            {
                yield return new SourceRow(number, null, $"the line is longer than {MaxLine:N0} characters.", line[..8_000]);
                continue;
            }
            Dictionary<string, string?>? record = null;
            string? error = null;
            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = "the line is not a JSON object.";
                }
                else
                {
                    record = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in document.RootElement.EnumerateObject().Take(MaxFields))
                    {
                        record.TryAdd(property.Name, property.Value.ValueKind switch
                        {
                            JsonValueKind.String => Defused(property.Value.GetString()!),
                            JsonValueKind.Null => null,
                            _ => property.Value.GetRawText(),
                        });
                    }
                }
            }
            catch (JsonException)
            {
                error = "the line is not valid JSON.";
            }
            yield return new SourceRow(number, record, error, line);
        }
    }

    /// <summary>A value without the apostrophe a spreadsheet export puts before a formula character (<c>'=1+1</c> → <c>=1+1</c>).</summary>
    public static string Defused(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' ? value[1..] : value;
}
