using NCalc;

namespace Switchboard.Core.Common;

/// <summary>
/// A computed value in NCalc's expression language — the language of the rules (<see cref="RuleCondition"/>) — parsed
/// once: only the names given, operators and NCalc's built-in functions (<c>if</c>, <c>in</c>, string and maths
/// functions); no access to anything else. Used by mapping specs for computed fields.
/// </summary>
public sealed class ValueExpression
{
    private readonly LogicalExpression _parsed;

    private ValueExpression(string text, LogicalExpression parsed) => (Text, _parsed) = (text, parsed);

    public string Text { get; }

    /// <summary>The names the expression reads.</summary>
    public IReadOnlyList<string> Names { get; private init; } = [];

    /// <summary>Parses and checks an expression: its syntax, and that it evaluates when every name it reads is the empty string.</summary>
    public static Result<ValueExpression> Parse(string text, string field)
    {
        if (text.Length > 2_000)
        {
            return Error.Validation(field, "must be at most 2,000 characters.");
        }
        var expression = new Expression(text);
        if (expression.HasErrors())
        {
            return Error.Validation(field, $"is not a valid expression: {expression.Error?.Message}");
        }
        var parsed = new ValueExpression(text, expression.GetLogicalExpression()!) { Names = [.. expression.GetParameterNames().Distinct(StringComparer.Ordinal)] };
        try
        {
            _ = parsed.Evaluate(parsed.Names.ToDictionary(n => n, _ => (string?)"", StringComparer.Ordinal));
        }
        catch (Exception e) when (e is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Error.Validation(field, $"cannot be evaluated: {e.Message}");
        }
        return parsed;
    }

    /// <summary>The value for these names' values (a missing name is the empty string).</summary>
    public object? Evaluate(IReadOnlyDictionary<string, string?> values)
    {
        var expression = new Expression(_parsed);
        foreach (var name in Names)
        {
            expression.Parameters[name] = values.TryGetValue(name, out var value) ? value ?? "" : "";
        }
        return expression.Evaluate();
    }
}
