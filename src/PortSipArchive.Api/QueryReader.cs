using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace PortSipArchive.Api;

/// <summary>
/// Reads and validates a request's query string: only the listed parameters (and <c>code</c>, the function key) are
/// allowed, each at most once; every problem is an <see cref="ApiException"/> naming the parameter.
/// </summary>
public sealed class QueryReader
{
    public const int MaxValueLength = 256;
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private readonly IQueryCollection _query;

    public QueryReader(IQueryCollection query, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(query);
        _query = query;
        foreach (var (name, values) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal) && name != "code")
            {
                throw new ApiException(400, "unknown_parameter", $"Parameter '{Printable(name)}' is not supported here; allowed: {string.Join(", ", allowed)}.");
            }

            if (values.Count > 1)
            {
                throw ApiException.Invalid(name, "is given more than once.");
            }

            if ((values.ToString() ?? string.Empty).Length > (name == "continuation" ? 4096 : MaxValueLength))
            {
                throw ApiException.Invalid(name, "is too long.");
            }
        }
    }

    /// <summary>The value, or null when absent. An empty value counts as absent.</summary>
    public string? Text(string name)
    {
        var value = _query.TryGetValue(name, out var values) ? values.ToString() : null;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Any(char.IsControl))
        {
            throw ApiException.Invalid(name, "contains control characters.");
        }

        return value;
    }

    /// <summary>An ISO 8601 date or date-time; without an offset it is UTC. The result is UTC.</summary>
    public DateTimeOffset? Time(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            || value.Year < 1601)
        {
            throw ApiException.Invalid(name, $"'{Printable(text)}' is not an ISO 8601 date or date-time (e.g. 2024-08-12 or 2024-08-12T10:00:00Z).");
        }

        return value;
    }

    public int? Number(string name, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw ApiException.Invalid(name, $"must be a whole number from {min} to {max}.");
        }

        return value;
    }

    public bool? Bool(string name)
    {
        return Text(name) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw ApiException.Invalid(name, "must be true or false."),
        };
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), returned as listed there.</summary>
    public string? Choice(string name, params string[] choices)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw ApiException.Invalid(name, $"must be one of {string.Join(", ", choices)}.");
    }

    /// <summary>from/to with defaults; from must not be after to, and the range at most <paramref name="maxDays"/>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset now, TimeSpan defaultLength, int maxDays)
    {
        var to = Time("to");
        var from = Time("from");
        var end = to ?? now;
        var start = from ?? end - defaultLength;
        if (start > end)
        {
            throw ApiException.Invalid("from", "is after 'to'.");
        }

        if (end - start > TimeSpan.FromDays(maxDays))
        {
            throw ApiException.Invalid("to", $"the range from 'from' to 'to' is longer than {maxDays} days.");
        }

        return (start, end);
    }

    /// <summary>A value safe to echo in an error message: control characters shown as '?', cut at 64 characters.</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > 64 ? text[..64] + "…" : text;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
