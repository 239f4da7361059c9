using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace PortSip.Simulator;

/// <summary>Thrown for an invalid query option; the API answers 400 VALIDATE_FAILED with the message.</summary>
public sealed class QueryValidationException : Exception
{
    public QueryValidationException()
    {
    }

    public QueryValidationException(string message)
        : base(message)
    {
    }

    public QueryValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One <c>orderby</c> term: a field and a direction.</summary>
public sealed record OrderTerm(string Field, bool Descending);

/// <summary>
/// The documented list query options: <c>filter</c>, <c>orderby</c>, <c>top</c> (1..100, default 100),
/// <c>skip</c> (0-based item offset, default 0) and <c>count</c>. The <c>$</c>-prefixed spellings the
/// docs also use are accepted.
/// </summary>
public sealed record ListQuery(FilterExpression Filter, IReadOnlyList<OrderTerm> OrderBy, int Top, int Skip)
{
    public const int MaxTop = 100;

    private static readonly string[] OrderFields = ["started_at", "ended_at", "caller", "callee", "id"];

    public static ListQuery Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        FilterExpression filter;
        try
        {
            filter = FilterParser.Parse(Single(query, "filter"));
        }
        catch (FilterSyntaxException ex)
        {
            throw new QueryValidationException(ex.Message, ex);
        }

        int top = ParseInt(query, "top", MaxTop);
        if (top is < 1 or > MaxTop)
        {
            throw new QueryValidationException($"top must be between 1 and {MaxTop}, got {top}.");
        }

        int skip = ParseInt(query, "skip", 0);
        if (skip < 0)
        {
            throw new QueryValidationException($"skip must be 0 or more, got {skip}.");
        }

        string? count = Single(query, "count");
        if (count is not null && !bool.TryParse(count, out _))
        {
            throw new QueryValidationException($"count must be true or false, got '{count}'.");
        }

        return new ListQuery(filter, ParseOrderBy(Single(query, "orderby")), top, skip);
    }

    /// <summary>Sorts items by the orderby terms; ties (and no orderby) fall back to started_at then id, ascending.</summary>
    public IEnumerable<T> Sort<T>(IEnumerable<T> items, Func<T, FilterSubject> subjectOf, Func<T, string> idOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(subjectOf);
        ArgumentNullException.ThrowIfNull(idOf);
        if (OrderBy.Count == 0)
        {
            return items;
        }

        IOrderedEnumerable<T>? ordered = null;
        foreach (OrderTerm term in OrderBy.Concat([new OrderTerm("started_at", OrderBy[0].Descending), new OrderTerm("id", OrderBy[0].Descending)]))
        {
            ordered = term.Field switch
            {
                "id" => Then(items, ordered, idOf, IdComparer.Instance, term.Descending),
                "caller" => Then(items, ordered, i => subjectOf(i).Caller, StringComparer.Ordinal, term.Descending),
                "callee" => Then(items, ordered, i => subjectOf(i).Callee, StringComparer.Ordinal, term.Descending),
                "ended_at" => Then(items, ordered, i => subjectOf(i).EndedAt, Comparer<DateTimeOffset>.Default, term.Descending),
                _ => Then(items, ordered, i => subjectOf(i).StartedAt, Comparer<DateTimeOffset>.Default, term.Descending),
            };
        }

        return ordered!;
    }

    /// <summary>
    /// True when <see cref="Sort"/> keeps items in started_at-then-id order, the order snapshots hold them in
    /// (exactly reversed when <paramref name="descending"/>), so they need no sorting. Ids are unique, so
    /// nothing after an id term matters; a repeated started_at term only compares equal started_at values.
    /// </summary>
    internal bool FollowsStartedAtOrder(out bool descending)
    {
        descending = false;
        if (OrderBy.Count == 0)
        {
            return true;
        }

        if (OrderBy[0].Field != "started_at")
        {
            return false;
        }

        descending = OrderBy[0].Descending;
        for (int i = 1; i < OrderBy.Count; i++)
        {
            if (OrderBy[i].Field != "started_at")
            {
                return OrderBy[i].Field == "id" && OrderBy[i].Descending == descending;
            }
        }

        // Sort appends started_at and id in the first term's direction.
        return true;
    }

    private static IOrderedEnumerable<T> Then<T, TKey>(IEnumerable<T> items, IOrderedEnumerable<T>? ordered, Func<T, TKey> key, IComparer<TKey> comparer, bool descending) =>
        (ordered, descending) switch
        {
            (null, false) => items.OrderBy(key, comparer),
            (null, true) => items.OrderByDescending(key, comparer),
            (_, false) => ordered.ThenBy(key, comparer),
            (_, true) => ordered.ThenByDescending(key, comparer),
        };

    private static List<OrderTerm> ParseOrderBy(string? text)
    {
        var terms = new List<OrderTerm>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }

        foreach (string part in text.Split(','))
        {
            string[] words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > 2 || !OrderFields.Contains(words[0]) || (words.Length == 2 && words[1] is not ("asc" or "desc")))
            {
                throw new QueryValidationException(
                    $"Invalid orderby '{part.Trim()}': expected '<field> [asc|desc]' with field one of {string.Join(", ", OrderFields)}.");
            }

            terms.Add(new OrderTerm(words[0], words.Length == 2 && words[1] == "desc"));
        }

        return terms;
    }

    private static int ParseInt(IQueryCollection query, string name, int fallback)
    {
        string? text = Single(query, name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new QueryValidationException($"{name} must be an integer, got '{text}'.");
    }

    private static string? Single(IQueryCollection query, string name)
    {
        StringValues plain = query[name];
        StringValues dollar = query["$" + name];
        StringValues values = plain.Count > 0 ? plain : dollar;
        if (values.Count > 1 || (plain.Count > 0 && dollar.Count > 0))
        {
            throw new QueryValidationException($"{name} is given more than once.");
        }

        return values.Count == 1 ? values[0] : null;
    }
}
