using System.Globalization;
using Azure.Data.Tables;
using PortSipArchive.Archive;

namespace PortSipArchive.Api;

/// <summary>One day's aggregate (of all calls, one direction, or one extension).</summary>
public sealed record StatsItem(string Day, string Source, string? Group, long Calls, long Answered, long Missed, long TalkSeconds) : ICsvItem
{
    public static readonly string[] CsvHeader = ["day", "source", "group", "calls", "answered", "missed", "talkSeconds"];

    public IEnumerable<string?> CsvFields() =>
        [Day, Source, Group, CsvFormat.Number(Calls), CsvFormat.Number(Answered), CsvFormat.Number(Missed), CsvFormat.Number(TalkSeconds)];
}

/// <summary>The validated filters of <c>GET /api/stats/daily</c>: whole UTC days with from ≤ day &lt; to.</summary>
public sealed record StatsFilter(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Sources, string? Source, string GroupBy, string? Extension)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 3660;
    public static readonly string[] Allowed = ["from", "to", "source", "groupBy", "extension", "pageSize", "format", "continuation"];

    public static StatsFilter Read(QueryReader query, DateTimeOffset now, Configuration.PortSipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tomorrow = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        var (from, to) = query.Range(tomorrow, TimeSpan.FromDays(DefaultDays), MaxDays);
        var extension = query.Text("extension");
        var groupBy = query.Choice("groupBy", "none", "extension", "direction") ?? (extension is null ? "none" : "extension");
        if (extension is not null && groupBy != "extension")
        {
            throw ApiException.Invalid("extension", "needs groupBy=extension (or no groupBy).");
        }

        var source = query.Text("source");
        var start = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
        var end = new DateTimeOffset(to.UtcDateTime.Date, TimeSpan.Zero);
        end = end < to ? end.AddDays(1) : end;
        return new StatsFilter(start, end, QueryRange.Sources(settings, source), source?.ToLowerInvariant(), groupBy, extension);
    }

    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        yield return new("from", From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yield return new("to", To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yield return new("groupBy", GroupBy);
        foreach (var (name, value) in new[] { ("source", Source), ("extension", Extension) })
        {
            if (value is not null)
            {
                yield return new(name, value);
            }
        }
    }
}

/// <summary>
/// Daily statistics from the <c>stats</c> table the sync keeps (partition <c>{source}|{yyyy}</c>): one partition query per
/// year and source, a RowKey range <c>all|{day}</c>, <c>ext|{extension}|{day}</c>, or the <c>dir|</c> / <c>ext|</c> rows of the year.
/// </summary>
public sealed class StatsQueryService(ApiTables tables, SegmentPager pager)
{
    public const string Route = "stats/daily";

    public IReadOnlyList<Segment> Segments(StatsFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var fromDay = ArchiveKeys.Day(filter.From);
        var toDay = ArchiveKeys.Day(filter.To);
        var (rowFrom, rowTo) = filter switch
        {
            { GroupBy: "none" } => ("all|" + fromDay, "all|" + toDay),
            { Extension: { } extension } => ($"ext|{ArchiveKeys.Encode(extension)}|{fromDay}", $"ext|{ArchiveKeys.Encode(extension)}|{toDay}"),
            { GroupBy: "direction" } => ("dir|", "dir}"),
            _ => ("ext|", "ext}"),
        };
        return [.. from year in QueryRange.Years(filter.From, filter.To)
                   from source in filter.Sources
                   select new Segment(tables.Archive.Stats, source + ArchiveKeys.Separator + ArchiveKeys.Year(year), rowFrom, rowTo)];
    }

    public Task<Page<StatsItem>> ListAsync(StatsFilter filter, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var segments = Segments(filter);
        var hash = PageToken.HashFilters(Route, filter.Parameters());
        var start = PageToken.Decode(continuation, hash, Math.Max(segments.Count, 1));
        var fromDay = ArchiveKeys.Day(filter.From);
        var toDay = ArchiveKeys.Day(filter.To);
        return pager.ReadAsync(segments, hash, start, pageSize, row => Item(row, filter, fromDay, toDay), select: null, cancellationToken);
    }

    private static StatsItem? Item(TableEntity row, StatsFilter filter, string fromDay, string toDay)
    {
        var parts = row.RowKey.Split(ArchiveKeys.Separator);
        var day = parts[^1];
        if (string.CompareOrdinal(day, fromDay) < 0 || string.CompareOrdinal(day, toDay) >= 0 || parts.Length is < 2 or > 3)
        {
            return null;
        }

        var group = parts.Length == 3 ? QueryRange.Decode(parts[1]) : null;
        if (filter.Extension is { } extension && group != extension)
        {
            return null;
        }

        return new StatsItem(
            EntityValues.TextOrNull(row, "Day") ?? day, EntityValues.Text(row, "Source"), group,
            EntityValues.Long(row, "Calls"), EntityValues.Long(row, "Answered"), EntityValues.Long(row, "Missed"), EntityValues.Long(row, "TalkSeconds"));
    }
}
