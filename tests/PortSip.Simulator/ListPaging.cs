namespace PortSip.Simulator;

/// <summary>
/// Filters, orders and pages one of a snapshot's arrays (ordered by started_at then id) for a list query
/// without touching every item when it can avoid it:
/// <list type="bullet">
/// <item>started_at bounds (<c>ge gt lt le eq</c>) among the filter's top-level <c>and</c> terms narrow the
/// candidates to a slice found by binary search; any other shape (<c>or</c>, <c>ne</c>, other fields,
/// no filter) keeps the whole array;</item>
/// <item>every candidate still goes through the visibility rule and the full filter, so the slice only
/// drops items the filter would reject anyway;</item>
/// <item>an order the array already has (none, or started_at then id, either direction) is read off the
/// slice; any other orderby sorts the matches with <see cref="ListQuery.Sort"/>.</item>
/// </list>
/// </summary>
internal static class ListPaging
{
    /// <summary>The match count and the requested page, exactly as a full scan, sort, skip and take would give them.</summary>
    public static (int Count, List<T> Page) Select<T>(
        T[] byStartedAt,
        Func<T, DateTimeOffset> startedAtOf,
        Func<T, bool> isListed,
        ListQuery query,
        Func<T, FilterSubject> subjectOf,
        Func<T, string> idOf)
    {
        ArgumentNullException.ThrowIfNull(byStartedAt);
        ArgumentNullException.ThrowIfNull(isListed);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(subjectOf);
        FilterExpression filter = query.Filter;
        (int start, int end) = CandidateRange(byStartedAt, startedAtOf, filter);

        if (query.FollowsStartedAtOrder(out bool descending))
        {
            long first = query.Skip;
            long stop = first + query.Top;
            var page = new List<T>(Math.Min(query.Top, end - start));
            int count = 0;
            for (int k = 0; k < end - start; k++)
            {
                T item = byStartedAt[descending ? end - 1 - k : start + k];
                if (isListed(item) && filter.Matches(subjectOf(item)))
                {
                    if (count >= first && count < stop)
                    {
                        page.Add(item);
                    }

                    count++;
                }
            }

            return (count, page);
        }

        var matches = new List<T>();
        for (int i = start; i < end; i++)
        {
            T item = byStartedAt[i];
            if (isListed(item) && filter.Matches(subjectOf(item)))
            {
                matches.Add(item);
            }
        }

        return (matches.Count, [.. query.Sort(matches, subjectOf, idOf).Skip(query.Skip).Take(query.Top)]);
    }

    /// <summary>
    /// The slice [Start, End) of <paramref name="byStartedAt"/> outside which no item can satisfy the
    /// started_at terms of the filter's top-level conjunction; the whole array when there are none.
    /// Values are compared with <see cref="DateTimeOffset.CompareTo(DateTimeOffset)"/> (UTC instants), as
    /// <see cref="TimeComparison"/> does and as the array is ordered.
    /// </summary>
    public static (int Start, int End) CandidateRange<T>(T[] byStartedAt, Func<T, DateTimeOffset> startedAtOf, FilterExpression filter)
    {
        ArgumentNullException.ThrowIfNull(byStartedAt);
        ArgumentNullException.ThrowIfNull(startedAtOf);
        ArgumentNullException.ThrowIfNull(filter);
        int start = 0;
        int end = byStartedAt.Length;
        FilterExpression? rest = filter;
        while (rest is not null)
        {
            FilterExpression term = rest;
            rest = null;
            if (term is AndExpression and)
            {
                // The parser nests 'a and b and c' to the left; walk that spine without recursion.
                term = and.Right;
                rest = and.Left;
            }

            if (term is AndExpression nested)
            {
                (int nestedStart, int nestedEnd) = CandidateRange(byStartedAt, startedAtOf, nested);
                start = Math.Max(start, nestedStart);
                end = Math.Min(end, nestedEnd);
            }
            else if (term is TimeComparison { Field: "started_at" } bound)
            {
                // ge/gt raise the start, lt/le lower the end, eq does both; ne gives no bound.
                if (bound.Op is "ge" or "eq")
                {
                    start = Math.Max(start, FirstIndex(byStartedAt, startedAtOf, bound.Value, after: false));
                }
                else if (bound.Op is "gt")
                {
                    start = Math.Max(start, FirstIndex(byStartedAt, startedAtOf, bound.Value, after: true));
                }

                if (bound.Op is "le" or "eq")
                {
                    end = Math.Min(end, FirstIndex(byStartedAt, startedAtOf, bound.Value, after: true));
                }
                else if (bound.Op is "lt")
                {
                    end = Math.Min(end, FirstIndex(byStartedAt, startedAtOf, bound.Value, after: false));
                }
            }
        }

        return (start, Math.Max(start, end));
    }

    /// <summary>The first index whose started_at is after <paramref name="value"/> (or at or after it); the length if none.</summary>
    private static int FirstIndex<T>(T[] byStartedAt, Func<T, DateTimeOffset> startedAtOf, DateTimeOffset value, bool after)
    {
        int low = 0;
        int high = byStartedAt.Length;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            int order = startedAtOf(byStartedAt[middle]).CompareTo(value);
            if (after ? order > 0 : order >= 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
