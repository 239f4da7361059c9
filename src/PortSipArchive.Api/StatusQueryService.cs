using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Archive;

namespace PortSipArchive.Api;

/// <summary>Recordings per status that still need attention (from the <c>recordingstatus</c> index).</summary>
public sealed record RecordingCounts(long Pending, long Failed, long Missing);

/// <summary>The sync health of one source.</summary>
public sealed record SourceStatus(
    string Source,
    DateTimeOffset? LastRunStarted,
    DateTimeOffset? LastRunEnded,
    string? LastRunOutcome,
    string? LastError,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? Watermark,
    double? LagSeconds,
    long CdrsInArchive,
    RecordingCounts Recordings,
    long QuarantinedCdrs,
    long QuarantinedRecordings,
    string? AccountReach);

/// <summary>The answer of <c>GET /api/status</c>.</summary>
public sealed record ArchiveStatus(DateTimeOffset Now, IReadOnlyList<SourceStatus> Sources);

/// <summary>
/// Sync health per source, with a bounded number of partition reads: the state row (point read); CDRs in the archive as
/// the sum of the <c>all|{day}</c> stats rows of the last <see cref="CountYears"/> years (one partition each, exact once
/// the run that wrote them has recomputed its days); recordings pending/failed/missing by counting the
/// <c>recordingstatus</c> partitions <c>{source}|{Status}</c>; quarantined items from the source's quarantine partition.
/// </summary>
public sealed class StatusQueryService(ApiTables tables, ApiReadCounter counter, [FromKeyedServices(ArchiveClock.Key)] TimeProvider time)
{
    public const int CountYears = 10;
    private static readonly string[] KeyOnly = ["RowKey"];

    public async Task<ArchiveStatus> ReadAsync(IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var now = time.GetUtcNow();
        var result = new List<SourceStatus>();
        foreach (var source in sources)
        {
            result.Add(await ReadSourceAsync(source, now, cancellationToken));
        }

        return new ArchiveStatus(now, result);
    }

    private async Task<SourceStatus> ReadSourceAsync(string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SyncState? state = null;
        try
        {
            var row = await tables.Archive.State.GetEntityIfExistsAsync<SyncState>(SyncState.Partition, source, cancellationToken: cancellationToken);
            state = row.HasValue ? row.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No state table yet: the sync has not run.
        }

        long cdrs = 0;
        for (var year = now.Year - CountYears + 1; year <= now.Year; year++)
        {
            var partition = source + ArchiveKeys.Separator + year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"all|"} and RowKey lt {"all}"}");
            cdrs += await SumAsync(tables.Archive.Stats, filter, "Calls", cancellationToken);
        }

        var counts = new long[3];
        string[] statuses = [RecordingStatus.Pending, RecordingStatus.Failed, RecordingStatus.Missing];
        for (var i = 0; i < statuses.Length; i++)
        {
            counts[i] = await CountAsync(tables.Archive.RecordingStatus, TableClient.CreateQueryFilter($"PartitionKey eq {source + ArchiveKeys.Separator + statuses[i]}"), cancellationToken);
        }

        var quarantinedCdrs = await CountAsync(tables.Archive.Quarantine, TableClient.CreateQueryFilter($"PartitionKey eq {source} and RowKey ge {"cdr|"} and RowKey lt {"cdr}"}"), cancellationToken);
        var quarantinedRecordings = await CountAsync(tables.Archive.Quarantine, TableClient.CreateQueryFilter($"PartitionKey eq {source} and RowKey ge {"rec|"} and RowKey lt {"rec}"}"), cancellationToken);
        return new SourceStatus(
            source, state?.LastRunStarted, state?.LastRunEnded, state?.LastRunOutcome, string.IsNullOrEmpty(state?.LastRunError) ? null : state.LastRunError,
            state?.LastSuccess, state?.Watermark, state?.Watermark is { } watermark ? Math.Max(0, (now - watermark).TotalSeconds) : null,
            cdrs, new RecordingCounts(counts[0], counts[1], counts[2]), quarantinedCdrs, quarantinedRecordings, state?.AccountReach);
    }

    private async Task<long> CountAsync(TableClient table, string filter, CancellationToken cancellationToken) =>
        await SumAsync(table, filter, null, cancellationToken);

    private async Task<long> SumAsync(TableClient table, string filter, string? column, CancellationToken cancellationToken)
    {
        long total = 0;
        counter.AddPartition();
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, 1000, column is null ? KeyOnly : [column], cancellationToken).AsPages())
            {
                counter.AddRows(page.Values.Count);
                total += column is null ? page.Values.Count : page.Values.Sum(v => EntityValues.Long(v, column));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table does not exist yet.
        }

        return total;
    }
}
