namespace Switchboard.Core.Common;

/// <summary>
/// A rule's condition (routing rules, follow-up rules): a <see cref="ValueExpression"/> over the facts' names only,
/// with the functions the caller gives (<c>mentions(…)</c> for follow-up), that holds when it gives true.
/// </summary>
public sealed class RuleCondition
{
    private readonly ValueExpression _expression;

    private RuleCondition(ValueExpression expression) => _expression = expression;

    public string Text => _expression.Text;

    /// <summary>Parses and checks a condition: syntax, names of facts, and that it gives a value on sample facts.</summary>
    /// <param name="text">The condition.</param>
    /// <param name="field">Where it is in its document, for errors (<c>rules[2].when</c>).</param>
    /// <param name="sample">Every fact's name with a value of its kind.</param>
    /// <param name="functions">Functions beyond NCalc's, by name; a function's arguments come evaluated.</param>
    public static Result<RuleCondition> Parse(string text, string field, IReadOnlyDictionary<string, object> sample,
        IReadOnlyDictionary<string, Func<object?[], object?>>? functions = null)
    {
        var parsed = ValueExpression.Parse(text, field, sample, functions);
        return parsed.IsSuccess ? new RuleCondition(parsed.Value) : parsed.Error!;
    }

    /// <summary>True when the condition holds; anything but a boolean true is false.</summary>
    /// <param name="facts">The facts' values.</param>
    /// <param name="functions">Functions bound to these facts (else those given when parsed).</param>
    public bool Evaluate(IReadOnlyDictionary<string, object> facts, IReadOnlyDictionary<string, Func<object?[], object?>>? functions = null) =>
        _expression.Evaluate(name => facts[name], functions) is true;
}
