namespace PortSip.Simulator;

/// <summary>The values a list filter can test, taken from a CDR or a recording.</summary>
public readonly record struct FilterSubject(string Caller, string Callee, DateTimeOffset StartedAt, DateTimeOffset EndedAt)
{
    public static FilterSubject Of(SimCdr cdr)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        return new(cdr.Caller, cdr.Callee, cdr.StartedAt, cdr.EndedAt);
    }

    public static FilterSubject Of(SimRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new(recording.Caller, recording.Callee, recording.StartedAt, recording.EndedAt);
    }
}

/// <summary>A parsed <c>filter</c> query option (see <see cref="FilterParser"/>).</summary>
public abstract class FilterExpression
{
    /// <summary>Matches everything (no filter given).</summary>
    public static FilterExpression All { get; } = new MatchAll();

    public abstract bool Matches(in FilterSubject subject);

    private sealed class MatchAll : FilterExpression
    {
        public override bool Matches(in FilterSubject subject) => true;

        public override string ToString() => "true";
    }
}

internal sealed class AndExpression(FilterExpression left, FilterExpression right) : FilterExpression
{
    public FilterExpression Left => left;

    public FilterExpression Right => right;

    public override bool Matches(in FilterSubject subject) => left.Matches(subject) && right.Matches(subject);

    public override string ToString() => $"({left} and {right})";
}

internal sealed class OrExpression(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Matches(in FilterSubject subject) => left.Matches(subject) || right.Matches(subject);

    public override string ToString() => $"({left} or {right})";
}

internal sealed class TimeComparison(string field, string op, DateTimeOffset value) : FilterExpression
{
    /// <summary>"started_at" or "ended_at".</summary>
    public string Field => @field;

    /// <summary>One of eq, ne, gt, ge, lt, le.</summary>
    public string Op => op;

    public DateTimeOffset Value => value;

    public override bool Matches(in FilterSubject subject)
    {
        int order = (field == "started_at" ? subject.StartedAt : subject.EndedAt).CompareTo(value);
        return op switch
        {
            "eq" => order == 0,
            "ne" => order != 0,
            "gt" => order > 0,
            "ge" => order >= 0,
            "lt" => order < 0,
            _ => order <= 0,
        };
    }

    public override string ToString() => $"{field} {op} '{PortSipTimestamp.Format(value)}'";
}

internal sealed class TextComparison(string field, string op, string value) : FilterExpression
{
    public override bool Matches(in FilterSubject subject)
    {
        bool equal = string.Equals(field == "caller" ? subject.Caller : subject.Callee, value, StringComparison.Ordinal);
        return op == "eq" ? equal : !equal;
    }

    public override string ToString() => $"{field} {op} '{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
