namespace PortSip.Simulator;

/// <summary>Thrown for a <c>filter</c> the PBX cannot parse; the API answers 400 VALIDATE_FAILED with the message.</summary>
public sealed class FilterSyntaxException : Exception
{
    public FilterSyntaxException()
    {
    }

    public FilterSyntaxException(string message)
        : base(message)
    {
    }

    public FilterSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Recursive-descent parser for the OData-like <c>filter</c> option:
/// <code>
/// expression := term ('or' term)*
/// term       := factor ('and' factor)*
/// factor     := '(' expression ')' | comparison
/// comparison := ('started_at' | 'ended_at') ('eq'|'ne'|'gt'|'ge'|'lt'|'le') 'RFC 3339 timestamp'
///             | ('caller' | 'callee') ('eq'|'ne') 'text'       -- '' inside quotes is one quote
/// </code>
/// Keywords and field names are lower case, as documented.
/// </summary>
public sealed class FilterParser
{
    private static readonly string[] Operators = ["eq", "ne", "gt", "ge", "lt", "le"];

    private readonly string _text;
    private int _position;

    private FilterParser(string text) => _text = text;

    /// <summary>Parses a filter; empty or whitespace means "everything". Throws <see cref="FilterSyntaxException"/>.</summary>
    public static FilterExpression Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return FilterExpression.All;
        }

        var parser = new FilterParser(text);
        FilterExpression expression = parser.ParseExpression();
        parser.SkipSpaces();
        if (parser._position < text.Length)
        {
            throw parser.Error($"unexpected '{parser.Rest()}'");
        }

        return expression;
    }

    private FilterExpression ParseExpression()
    {
        FilterExpression left = ParseTerm();
        while (TryKeyword("or"))
        {
            left = new OrExpression(left, ParseTerm());
        }

        return left;
    }

    private FilterExpression ParseTerm()
    {
        FilterExpression left = ParseFactor();
        while (TryKeyword("and"))
        {
            left = new AndExpression(left, ParseFactor());
        }

        return left;
    }

    private FilterExpression ParseFactor()
    {
        SkipSpaces();
        if (Peek() == '(')
        {
            _position++;
            FilterExpression inner = ParseExpression();
            SkipSpaces();
            if (Peek() != ')')
            {
                throw Error("expected ')'");
            }

            _position++;
            return inner;
        }

        return ParseComparison();
    }

    private FilterExpression ParseComparison()
    {
        int fieldAt = _position;
        string field = ReadWord();
        if (field.Length == 0)
        {
            throw Error(_position >= _text.Length ? "expected a comparison but the filter ended" : $"expected a field name but found '{Rest()}'");
        }

        bool isTime = field is "started_at" or "ended_at";
        if (!isTime && field is not ("caller" or "callee"))
        {
            throw new FilterSyntaxException($"Invalid filter at position {fieldAt}: field '{field}' cannot be filtered (use started_at, ended_at, caller or callee).");
        }

        SkipSpaces();
        int opAt = _position;
        string op = ReadWord();
        if (!Operators.Contains(op))
        {
            throw Error($"expected an operator (eq, ne, gt, ge, lt, le) after '{field}'", opAt);
        }

        if (!isTime && op is not ("eq" or "ne"))
        {
            throw Error($"operator '{op}' is not supported for '{field}' (use eq or ne)", opAt);
        }

        SkipSpaces();
        int literalAt = _position;
        string literal = ReadQuoted();
        if (!isTime)
        {
            return new TextComparison(field, op, literal);
        }

        if (!PortSipTimestamp.TryParse(literal, out DateTimeOffset value))
        {
            throw Error($"'{literal}' is not an RFC 3339 timestamp", literalAt);
        }

        return new TimeComparison(field, op, value);
    }

    private string ReadQuoted()
    {
        if (Peek() != '\'')
        {
            throw Error("expected a value in single quotes");
        }

        int start = _position++;
        var value = new System.Text.StringBuilder();
        while (_position < _text.Length)
        {
            char c = _text[_position++];
            if (c != '\'')
            {
                value.Append(c);
            }
            else if (Peek() == '\'')
            {
                value.Append('\'');
                _position++;
            }
            else
            {
                return value.ToString();
            }
        }

        throw Error("unterminated quoted value", start);
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpaces();
        int start = _position;
        if (ReadWord() == keyword)
        {
            return true;
        }

        _position = start;
        return false;
    }

    private string ReadWord()
    {
        int start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private string Rest() => _text[_position..];

    private FilterSyntaxException Error(string what, int? at = null) =>
        new($"Invalid filter at position {at ?? _position}: {what}.");
}
