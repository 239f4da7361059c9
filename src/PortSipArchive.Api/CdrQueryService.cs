using Azure.Data.Tables;
using PortSipArchive.Archive;

namespace PortSipArchive.Api;

/// <summary>
/// CDR queries. Without extension, caller or callee: the <c>cdrs</c> day partitions of the range (day, then source),
/// each a RowKey range of started_at. With one of them: that number's <c>cdrsbyext</c> month partitions (month, then
/// source), a RowKey range <c>{number}|{started_at}</c>. Other filters are table property filters inside the pinned
/// partition, built with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>, and checked again per row.
/// </summary>
public sealed class CdrQueryService(ApiTables tables, SegmentPager pager)
{
    public const string Route = "cdrs";
    private static readonly DateTimeOffset Earliest = new(1601, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public IReadOnlyList<Segment> Segments(CdrFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var extra = ExtraFilter(filter);
        var rowFrom = ArchiveKeys.RowTime(filter.From);
        var rowTo = ArchiveKeys.RowTime(filter.To);
        if (filter.IndexKey is { } number)
        {
            var prefix = ArchiveKeys.Encode(number) + ArchiveKeys.Separator;
            return [.. from month in QueryRange.Months(filter.From, filter.To)
                       from source in filter.Sources
                       select new Segment(tables.Archive.CdrsByExtension, ArchiveKeys.ExtensionPartition(source, number, month), prefix + rowFrom, prefix + rowTo, extra)];
        }

        return [.. from day in QueryRange.Days(filter.From, filter.To)
                   from source in filter.Sources
                   select new Segment(tables.Archive.Cdrs, ArchiveKeys.DayPartition(source, day), rowFrom, rowTo, extra)];
    }

    public static string FilterHash(CdrFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return PageToken.HashFilters(Route, filter.Parameters());
    }

    public Task<Page<CdrItem>> ListAsync(CdrFilter filter, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var segments = Segments(filter);
        var hash = FilterHash(filter);
        var start = PageToken.Decode(continuation, hash, Math.Max(segments.Count, 1));
        return pager.ReadAsync(segments, hash, start, pageSize, row => CdrItem.FromRow(row) is var cdr && filter.Matches(cdr) ? cdr : null, select: null, cancellationToken);
    }

    /// <summary>One CDR by id via the keys table (one point read per source that has the id), with its recording ids.</summary>
    public async Task<CdrItem?> GetAsync(string id, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var key in await IdKeys.FindAsync(tables.Archive.Keys, CdrRows.KeyKind, id, sources, cancellationToken))
        {
            var row = await tables.Archive.Cdrs.GetEntityIfExistsAsync<TableEntity>(key.Partition, key.Row, cancellationToken: cancellationToken);
            if (row.HasValue && row.Value is not null)
            {
                return CdrItem.FromRow(row.Value);
            }
        }

        return null;
    }

    private static string? ExtraFilter(CdrFilter filter)
    {
        var parts = new List<string>();
        if (filter.Caller is { } caller)
        {
            parts.Add(TableClient.CreateQueryFilter($"caller eq {caller}"));
        }

        if (filter.Callee is { } callee)
        {
            parts.Add(TableClient.CreateQueryFilter($"callee eq {callee}"));
        }

        if (filter.Direction is { } direction)
        {
            parts.Add(TableClient.CreateQueryFilter($"direction eq {direction}"));
        }

        if (filter.MinDuration is { } minimum)
        {
            parts.Add(TableClient.CreateQueryFilter($"Duration ge {minimum}"));
        }

        if (filter.Answered == true)
        {
            parts.Add(TableClient.CreateQueryFilter($"AnsweredAt ge {Earliest}"));
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }
}
