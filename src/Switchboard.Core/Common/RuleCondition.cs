using NCalc;

namespace Switchboard.Core.Common;

/// <summary>
/// A rule's condition in NCalc's expression language (routing rules, follow-up rules), parsed once: only the facts'
/// names, operators, NCalc's built-in functions and the functions the caller gives (<c>mentions(…)</c> for follow-up).
/// </summary>
public sealed class RuleCondition
{
    private readonly LogicalExpression _parsed;

    private readonly IReadOnlyDictionary<string, Func<object?[], object?>> _functions;

    private RuleCondition(string text, LogicalExpression parsed, IReadOnlyDictionary<string, Func<object?[], object?>> functions) =>
        (Text, _parsed, _functions) = (text, parsed, functions);

    public string Text { get; }

    /// <summary>Parses and checks a condition: syntax, names of facts, and that it gives true or false on sample facts.</summary>
    /// <param name="text">The condition.</param>
    /// <param name="field">Where it is in its document, for errors (<c>rules[2].when</c>).</param>
    /// <param name="sample">Every fact's name with a value of its kind.</param>
    /// <param name="functions">Functions beyond NCalc's, by name; a function's arguments come evaluated.</param>
    public static Result<RuleCondition> Parse(string text, string field, IReadOnlyDictionary<string, object> sample,
        IReadOnlyDictionary<string, Func<object?[], object?>>? functions = null)
    {
        functions ??= new Dictionary<string, Func<object?[], object?>>();
        if (text.Length > 2_000)
        {
            return Error.Validation(field, "must be at most 2,000 characters.");
        }
        var expression = new Expression(text);
        if (expression.HasErrors())
        {
            return Error.Validation(field, $"is not a valid expression: {expression.Error?.Message}");
        }
        var unknown = expression.GetParameterNames().Where(n => !sample.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return Error.Validation(field, $"names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which {(unknown.Count == 1 ? "is not a fact" : "are not facts")}; the facts are {string.Join(", ", sample.Keys)}.");
        }
        var condition = new RuleCondition(text, expression.GetLogicalExpression()!, functions);
        try
        {
            _ = condition.Evaluate(sample);
        }
        catch (Exception e) when (e is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Error.Validation(field, $"cannot be evaluated: {e.Message}");
        }
        return condition;
    }

    /// <summary>True when the condition holds; anything but a boolean true is false.</summary>
    /// <param name="facts">The facts' values.</param>
    /// <param name="functions">Functions bound to these facts (else those given when parsed).</param>
    public bool Evaluate(IReadOnlyDictionary<string, object> facts, IReadOnlyDictionary<string, Func<object?[], object?>>? functions = null)
    {
        var expression = new Expression(_parsed);
        foreach (var (name, value) in facts)
        {
            expression.Parameters[name] = value;
        }
        foreach (var (name, function) in functions ?? _functions)
        {
            expression.Functions[name] = args =>
            {
                var values = new object?[args.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    var argument = new Expression(args[i]);
                    foreach (var (fact, value) in facts)
                    {
                        argument.Parameters[fact] = value;
                    }
                    values[i] = argument.Evaluate();
                }
                return function(values);
            };
        }
        return expression.Evaluate() is true;
    }
}
