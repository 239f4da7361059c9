using Azure.Data.Tables;

namespace PortSipArchive.Api;

/// <summary>
/// One step of a query's partition walk: one partition of one table, a RowKey range [RowFrom, RowTo) and optional
/// property filters (already built with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>).
/// </summary>
public sealed record Segment(TableClient Table, string PartitionKey, string RowFrom, string RowTo, string? Extra = null)
{
    public string Filter(string? afterRowKey)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey} and RowKey ge {RowFrom} and RowKey lt {RowTo}");
        if (afterRowKey is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {afterRowKey}");
        }

        return Extra is null ? filter : filter + " and " + Extra;
    }
}

/// <summary>One page of a collection and the token of the next (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, PageToken? Next);

/// <summary>
/// Fills a page by walking the segments in their fixed order from a token's position. Each segment is read in RowKey
/// order and resumed after the last RowKey consumed, so following the tokens returns every row exactly once.
/// </summary>
public sealed class SegmentPager(ApiReadCounter counter)
{
    public const int MaxPageSize = 1000;

    /// <param name="map">Turns a row into an item, or null to skip it (the filters are checked again here).</param>
    public async Task<Page<T>> ReadAsync<T>(
        IReadOnlyList<Segment> segments, string filterHash, PageToken? start, int pageSize, Func<TableEntity, T?> map, IEnumerable<string>? select, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(map);
        var items = new List<T>(Math.Min(pageSize, MaxPageSize));
        for (var i = start?.Segment ?? 0; i < segments.Count; i++)
        {
            var after = i == start?.Segment ? start.AfterRowKey : null;
            var segment = segments[i];
            // One row more than the page needs tells whether another page follows; storage pages never exceed 1000.
            var perPage = Math.Min(MaxPageSize, pageSize - items.Count + 1);
            counter.AddPartition();
            await foreach (var page in segment.Table.QueryAsync<TableEntity>(segment.Filter(after), perPage, select, cancellationToken).AsPages())
            {
                counter.AddRows(page.Values.Count);
                foreach (var row in page.Values)
                {
                    if (items.Count == pageSize)
                    {
                        return new Page<T>(items, new PageToken(filterHash, i, after));
                    }

                    after = row.RowKey;
                    if (map(row) is { } item)
                    {
                        items.Add(item);
                    }
                }

                // A full page at the end of a storage page that has more: hand out the next token without reading
                // another storage page just to learn that (the next API page may then be empty, and last).
                if (items.Count == pageSize && page.ContinuationToken is not null)
                {
                    return new Page<T>(items, new PageToken(filterHash, i, after));
                }
            }
        }

        return new Page<T>(items, null);
    }
}
