using NCalc;

namespace Switchboard.Core.Common;

/// <summary>
/// An expression in NCalc's language, parsed once — the one engine behind routing and follow-up conditions
/// (<see cref="RuleCondition"/>) and mapping specs' computed fields: only the names it reads, operators, NCalc's
/// built-in functions (<c>if</c>, <c>in</c>, string and maths functions) and the functions the caller gives; nothing
/// else is reachable.
/// </summary>
public sealed class ValueExpression
{
    private static readonly IReadOnlyDictionary<string, Func<object?[], object?>> NoFunctions = new Dictionary<string, Func<object?[], object?>>();

    private readonly LogicalExpression _parsed;
    private readonly IReadOnlyDictionary<string, Func<object?[], object?>> _functions;

    private ValueExpression(string text, LogicalExpression parsed, IReadOnlyList<string> names, IReadOnlyDictionary<string, Func<object?[], object?>> functions) =>
        (Text, _parsed, Names, _functions) = (text, parsed, names, functions);

    public string Text { get; }

    /// <summary>The names the expression reads.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Parses and checks an expression: its length and syntax, the names it reads (only those of <paramref name="sample"/>
    /// when given), and that it evaluates on the sample (or with every name the empty string).
    /// </summary>
    /// <param name="text">The expression.</param>
    /// <param name="field">Where it is in its document, for errors (<c>rules[2].when</c>).</param>
    /// <param name="sample">Every name it may read with a value of its kind; null: any name, read as text.</param>
    /// <param name="functions">Functions beyond NCalc's, by name; a function's arguments come evaluated.</param>
    public static Result<ValueExpression> Parse(string text, string field, IReadOnlyDictionary<string, object>? sample = null,
        IReadOnlyDictionary<string, Func<object?[], object?>>? functions = null)
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
        var names = expression.GetParameterNames().Distinct(StringComparer.Ordinal).ToList();
        var unknown = sample is null ? [] : names.Where(n => !sample.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            return Error.Validation(field, $"names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which {(unknown.Count == 1 ? "is not a fact" : "are not facts")}; the facts are {string.Join(", ", sample!.Keys)}.");
        }
        var parsed = new ValueExpression(text, expression.GetLogicalExpression()!, names, functions ?? NoFunctions);
        try
        {
            _ = parsed.Evaluate(sample is null ? _ => "" : name => sample[name]);
        }
        catch (Exception e) when (e is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Error.Validation(field, $"cannot be evaluated: {e.Message}");
        }
        return parsed;
    }

    /// <summary>The value, each name read through <paramref name="value"/>.</summary>
    /// <param name="value">A name's value.</param>
    /// <param name="functions">Functions bound to these values (else those given when parsed).</param>
    public object? Evaluate(Func<string, object?> value, IReadOnlyDictionary<string, Func<object?[], object?>>? functions = null)
    {
        var expression = Bound(new Expression(_parsed), value);
        foreach (var (name, function) in functions ?? _functions)
        {
            expression.Functions[name] = args =>
            {
                var values = new object?[args.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Bound(new Expression(args[i]), value).Evaluate();
                }
                return function(values);
            };
        }
        return expression.Evaluate();
    }

    /// <summary>The value, each name read from a record's text (a missing name is the empty string).</summary>
    public object? Evaluate(IReadOnlyDictionary<string, string?> record) =>
        Evaluate(name => record.TryGetValue(name, out var text) ? text ?? "" : "");

    private Expression Bound(Expression expression, Func<string, object?> value)
    {
        foreach (var name in Names)
        {
            expression.Parameters[name] = value(name);
        }
        return expression;
    }
}
