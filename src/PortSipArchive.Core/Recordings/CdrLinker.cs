using Azure;
using Azure.Data.Tables;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Recordings;

/// <summary>How a recording's CDR was found: from its file name, by matching, or not at all.</summary>
public static class CdrLinkKind
{
    public const string FileName = "file_name";
    public const string Matched = "matched";
    public const string None = "none";
}

/// <summary>A recording's CDR; <see cref="Partition"/> and <see cref="Row"/> are set when the cdrs row is already known.</summary>
public sealed record CdrLink(string? CdrId, string Kind, string? Partition = null, string? Row = null)
{
    public static readonly CdrLink None = new(null, CdrLinkKind.None);
}

/// <summary>
/// Finds the CDR of a recording and records the recording on that CDR's row. The CDR id comes from <c>file_name</c>
/// when it carries one; otherwise the nearest CDR with the same caller and callee whose started_at is within the match
/// window of the recording's start, read from the cdrs day partition(s) with one RowKey-range query each (no scan).
/// </summary>
public sealed class CdrLinker(ArchiveTables tables, RecordingSettings settings)
{
    public const string RecordingIdsColumn = "RecordingIds";
    private static readonly string[] MatchColumns = ["PartitionKey", "RowKey", "CdrId", "StartedAt"];

    public async Task<CdrLink> FindAsync(string source, PortSipRecordingDetail detail, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(detail);
        if (detail.CdrIdFromFileName is { } fromName)
        {
            return new CdrLink(fromName, CdrLinkKind.FileName);
        }

        if (detail.Caller.Length == 0 && detail.Callee.Length == 0)
        {
            return CdrLink.None;
        }

        var from = startedAt - settings.MatchWindow;
        var to = startedAt + settings.MatchWindow;
        CdrLink best = CdrLink.None;
        var bestDistance = TimeSpan.MaxValue;
        foreach (var partition in new[] { ArchiveKeys.DayPartition(source, from), ArchiveKeys.DayPartition(source, to) }.Distinct(StringComparer.Ordinal))
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {partition} and RowKey ge {ArchiveKeys.RowTime(from)} and RowKey lt {ArchiveKeys.RowTime(to) + "~"} and caller eq {detail.Caller} and callee eq {detail.Callee}");
            await foreach (var row in tables.Cdrs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: MatchColumns, cancellationToken: cancellationToken))
            {
                if (row.GetString("CdrId") is not { Length: > 0 } cdrId || row.GetDateTimeOffset("StartedAt") is not { } cdrStart)
                {
                    continue;
                }

                var distance = (cdrStart - startedAt).Duration();
                if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(cdrId, best.CdrId) < 0))
                {
                    bestDistance = distance;
                    best = new CdrLink(cdrId, CdrLinkKind.Matched, row.PartitionKey, row.RowKey);
                }
            }
        }

        return best;
    }

    /// <summary>
    /// Adds the recording id to the CDR row's <c>RecordingIds</c> (comma-separated, each id once) with an ETag-checked
    /// Merge, retried when another recording of the same CDR wrote first. Returns false when the CDR is not archived (yet).
    /// </summary>
    public async Task<bool> AddRecordingAsync(string source, CdrLink link, string recordingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link.CdrId is null)
        {
            return false;
        }

        var (partition, row) = (link.Partition, link.Row);
        if (partition is null || row is null)
        {
            var key = await tables.Keys.GetEntityIfExistsAsync<TableEntity>(
                ArchiveKeys.KeyPartition(CdrRows.KeyKind, link.CdrId), ArchiveKeys.KeyRow(link.CdrId, source), cancellationToken: cancellationToken);
            if (!key.HasValue || key.Value is null)
            {
                return false;
            }

            (partition, row) = (key.Value.GetString("TargetPartition"), key.Value.GetString("TargetRow"));
        }

        for (var attempt = 1; ; attempt++)
        {
            var cdr = await tables.Cdrs.GetEntityIfExistsAsync<TableEntity>(partition, row, [RecordingIdsColumn], cancellationToken);
            if (!cdr.HasValue || cdr.Value is null)
            {
                return false;
            }

            var ids = (cdr.Value.GetString(RecordingIdsColumn) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (ids.Contains(recordingId, StringComparer.Ordinal))
            {
                return true;
            }

            ids.Add(recordingId);
            var update = new TableEntity(partition, row) { [RecordingIdsColumn] = string.Join(',', ids) };
            try
            {
                await tables.Cdrs.UpdateEntityAsync(update, cdr.Value.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 10)
            {
                // Another recording of this CDR was added in between: read again.
            }
        }
    }
}
