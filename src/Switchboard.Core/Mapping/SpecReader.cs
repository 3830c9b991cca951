using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Core.Common;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Switchboard.Core.Mapping;

/// <summary>
/// Reads a mapping document from JSON or YAML. YAML is read event by event into JSON, refusing what a mapping never
/// needs and an attacker would use: anchors and aliases (the "billion laughs"), tags, more than 32 levels, more than
/// 256 KB. JSON is read with the same depth limit. Every failure is a validation error naming where it is.
/// </summary>
public static class SpecReader
{
    public const int MaxBytes = 256 * 1024;
    private const int MaxDepth = 32;

    public static Result<MappingDocument> Read(string text, bool yaml)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            return Error.Validation("document", $"is larger than {MaxBytes / 1024} KB.");
        }
        JsonNode? node;
        try
        {
            node = yaml ? FromYaml(text) : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return Error.Validation("document", $"is not JSON: {e.Message}");
        }
        catch (YamlException e)
        {
            return Error.Validation("document", $"is not YAML this reader takes: {e.Message}");
        }
        if (node is not JsonObject)
        {
            return Error.Validation("document", "must be an object with name, entity, system, key and fields.");
        }
        try
        {
            return node.Deserialize<MappingDocument>(WireJson.Options) is { } document ? document : Error.Validation("document", "is empty.");
        }
        catch (JsonException e)
        {
            return Error.Validation(string.IsNullOrEmpty(e.Path) ? "document" : e.Path.TrimStart('$', '.'), "has a value of the wrong kind.");
        }
    }

    private static JsonNode? FromYaml(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
        {
            return null;
        }
        parser.Consume<DocumentStart>();
        var node = Node(parser, 0);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
        {
            throw new YamlException("one document only.");
        }
        return node;
    }

    private static JsonNode? Node(IParser parser, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException($"nests deeper than {MaxDepth} levels.");
        }
        var next = parser.Current ?? throw new YamlException("ends early.");
        if (next is AnchorAlias || next is NodeEvent { Anchor.IsEmpty: false })
        {
            throw new YamlException($"anchors and aliases are not taken (at line {next.Start.Line}).");
        }
        if (next is NodeEvent { Tag.IsEmpty: false })
        {
            throw new YamlException($"tags are not taken (at line {next.Start.Line}).");
        }
        switch (next)
        {
            case Scalar scalar:
                parser.MoveNext();
                return scalar.Style is ScalarStyle.Plain ? Plain(scalar.Value) : JsonValue.Create(scalar.Value);
            case SequenceStart:
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(Node(parser, depth + 1));
                }
                return array;
            case MappingStart:
                parser.MoveNext();
                var obj = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    if (parser.Current is not Scalar key)
                    {
                        throw new YamlException($"keys are plain text (at line {parser.Current?.Start.Line}).");
                    }
                    parser.MoveNext();
                    if (obj.ContainsKey(key.Value))
                    {
                        throw new YamlException($"'{key.Value}' is given twice (at line {key.Start.Line}).");
                    }
                    obj[key.Value] = Node(parser, depth + 1);
                }
                return obj;
            default:
                throw new YamlException($"unexpected {next.GetType().Name} (at line {next.Start.Line}).");
        }
    }

    /// <summary>A plain scalar as YAML 1.2's core schema reads it: null, a boolean, a number, or text.</summary>
    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && value.Any(char.IsAsciiDigit) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };
}
