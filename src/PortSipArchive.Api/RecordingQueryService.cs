using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using PortSipArchive.Archive;

namespace PortSipArchive.Api;

/// <summary>A recording's audio: the blob stream and its range, or why there is none.</summary>
public sealed record RecordingContent(RecordingItem Recording, BlobDownloadStreamingResult? Blob, long TotalLength);

/// <summary>
/// Recording queries: the <c>recordings</c> day partitions of the range (day, then source) as RowKey ranges of the
/// start time; extension and status are property filters inside the pinned partition. By id: the keys table.
/// </summary>
public sealed class RecordingQueryService(ApiTables tables, SegmentPager pager)
{
    public const string Route = "recordings";

    public IReadOnlyList<Segment> Segments(RecordingFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        if (filter.Extension is { } extension)
        {
            parts.Add(TableClient.CreateQueryFilter($"(Caller eq {extension} or Callee eq {extension})"));
        }

        if (filter.Status is { } status)
        {
            parts.Add(TableClient.CreateQueryFilter($"Status eq {RecordingItem.Statuses[status]}"));
        }

        var extra = parts.Count == 0 ? null : string.Join(" and ", parts);
        var rowFrom = ArchiveKeys.RowTime(filter.From);
        var rowTo = ArchiveKeys.RowTime(filter.To);
        return [.. from day in QueryRange.Days(filter.From, filter.To)
                   from source in filter.Sources
                   select new Segment(tables.Archive.Recordings, ArchiveKeys.DayPartition(source, day), rowFrom, rowTo, extra)];
    }

    public Task<Page<RecordingItem>> ListAsync(RecordingFilter filter, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var segments = Segments(filter);
        var hash = PageToken.HashFilters(Route, filter.Parameters());
        var start = PageToken.Decode(continuation, hash, Math.Max(segments.Count, 1));
        return pager.ReadAsync(segments, hash, start, pageSize, row => RecordingItem.FromRow(row) is var r && filter.Matches(r) ? r : null, null, cancellationToken);
    }

    public async Task<(RecordingItem Item, TableEntity Row)?> GetAsync(string id, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var key in await IdKeys.FindAsync(tables.Archive.Keys, "rec", id, sources, cancellationToken))
        {
            var row = await tables.Archive.Recordings.GetEntityIfExistsAsync<TableEntity>(key.Partition, key.Row, cancellationToken: cancellationToken);
            if (row.HasValue && row.Value is not null)
            {
                return (RecordingItem.FromRow(row.Value), row.Value);
            }
        }

        return null;
    }

    /// <summary>Opens the archived blob (the whole of it, or <paramref name="range"/>); null Blob when not archived.</summary>
    public async Task<RecordingContent?> OpenAsync(string id, IReadOnlyList<string> sources, HttpRange? range, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, sources, cancellationToken) is not { } found)
        {
            return null;
        }

        if (found.Item.Status != "archived" || EntityValues.TextOrNull(found.Row, "BlobName") is not { } blobName)
        {
            return new RecordingContent(found.Item, null, 0);
        }

        var blob = tables.RecordingsContainer.GetBlobClient(blobName);
        try
        {
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = range ?? default }, cancellationToken);
            return new RecordingContent(found.Item, download.Value, found.Item.Size ?? download.Value.Details.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            throw new ApiException(416, "invalid_range", "The requested range is outside the recording.");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new RecordingContent(found.Item with { Status = "missing" }, null, 0);
        }
    }
}
