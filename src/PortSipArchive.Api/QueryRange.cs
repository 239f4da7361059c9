using System.Globalization;
using PortSipArchive.Archive;
using PortSipArchive.Configuration;

namespace PortSipArchive.Api;

/// <summary>The partition units of a time range, and the sources a query reads.</summary>
public static class QueryRange
{
    /// <summary>UTC days whose partition can hold started_at in [from, to), oldest first.</summary>
    public static IEnumerable<DateTimeOffset> Days(DateTimeOffset from, DateTimeOffset to)
    {
        for (var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero); day < to; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>UTC months (first day) that overlap [from, to), oldest first.</summary>
    public static IEnumerable<DateTimeOffset> Months(DateTimeOffset from, DateTimeOffset to)
    {
        for (var month = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); month < to; month = month.AddMonths(1))
        {
            yield return month;
        }
    }

    /// <summary>UTC years (1 January) that overlap [from, to), oldest first.</summary>
    public static IEnumerable<DateTimeOffset> Years(DateTimeOffset from, DateTimeOffset to)
    {
        for (var year = new DateTimeOffset(from.Year, 1, 1, 0, 0, 0, TimeSpan.Zero); year < to; year = year.AddYears(1))
        {
            yield return year;
        }
    }

    /// <summary>The configured source names, sorted; or the one named by the <c>source</c> parameter (400 if it is not configured).</summary>
    public static IReadOnlyList<string> Sources(PortSipSettings settings, string? source)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var all = settings.Sources.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        if (source is null)
        {
            return all;
        }

        return all.FirstOrDefault(s => string.Equals(s, source, StringComparison.OrdinalIgnoreCase)) is { } name
            ? [name]
            : throw ApiException.Invalid("source", $"'{QueryReader.Printable(source)}' is not a configured source; configured: {string.Join(", ", all)}.");
    }

    public static string Format(DateTimeOffset time) => CsvFormat.Time(time)!;

    /// <summary>Reverses <see cref="ArchiveKeys.Encode"/> (it only writes %XX for characters up to U+00FF).</summary>
    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var text = new System.Text.StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 2;
            }
            else
            {
                text.Append(key[i]);
            }
        }

        return text.ToString();
    }
}
