using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>Counts of one source's run.</summary>
public sealed class SyncCounters
{
    public long CdrsWritten { get; set; }

    public long RecordingsEnqueued { get; set; }

    public long Quarantined { get; set; }
}

/// <summary>
/// Archives one started_at window of one source: lists its CDRs and writes their rows (cdrs, cdrsbyext, keys) in
/// batches while the next pages are read, registers its recordings, quarantines unreadable items and recomputes
/// the daily aggregates of every day it wrote. Everything is an idempotent upsert, so a window can be archived again.
/// </summary>
public sealed partial class SyncWindowArchiver(
    ArchiveTables tables, TableBatchWriter writer, RecordingQueueWriter recordings, QuarantineWriter quarantine,
    DailyStatsWriter stats, ILogger<SyncWindowArchiver> logger)
{
    /// <summary>CDRs collected before their rows are written (memory stays flat whatever the window holds).</summary>
    public const int FlushSize = 1000;

    /// <summary>
    /// Archives CDRs and recordings with started_at in [from, to). With <paramref name="endedAtFloor"/>, only items that
    /// ended at or after it (or have no end time) are written — the long-call sweep, which lists a long window again.
    /// </summary>
    public async Task ArchiveAsync(PortSipClient client, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? endedAtFloor, SyncCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(counters);
        var source = client.SourceName;
        var problems = new List<PortSipDataException>();
        var days = new HashSet<DateOnly>();
        var buffer = new List<PortSipCdr>(FlushSize);
        var writing = Task.CompletedTask;
        try
        {
            await foreach (var item in client.ListCdrsAsync(from, to, cancellationToken))
            {
                if (!item.IsValid)
                {
                    problems.Add(item.Error!);
                    continue;
                }

                var cdr = item.Value;
                if (endedAtFloor is { } floor && cdr.EndedAt is { } ended && ended < floor)
                {
                    continue;
                }

                buffer.Add(cdr);
                days.Add(DateOnly.FromDateTime(cdr.StartedAt.UtcDateTime));
                if (buffer.Count >= FlushSize)
                {
                    await writing;
                    writing = WriteCdrsAsync(source, buffer, counters, cancellationToken);
                    buffer = new List<PortSipCdr>(FlushSize);
                }
            }
        }
        catch
        {
            await writing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        await writing;
        await WriteCdrsAsync(source, buffer, counters, cancellationToken);
        await RegisterRecordingsAsync(client, from, to, endedAtFloor, problems, counters, cancellationToken);

        foreach (var problem in problems)
        {
            LogQuarantined(logger, source, problem.Kind, problem.ItemId ?? "(no id)", problem.Field, problem.Message);
        }

        await quarantine.WriteAsync(source, problems, cancellationToken);
        counters.Quarantined += problems.Count;
        await stats.RecomputeAsync(source, days, cancellationToken);
    }

    private async Task WriteCdrsAsync(string source, List<PortSipCdr> cdrs, SyncCounters counters, CancellationToken cancellationToken)
    {
        if (cdrs.Count == 0)
        {
            return;
        }

        // Merge, never Replace: RecordingIds is written by the recording archiver and must survive a re-sync.
        await writer.UpsertAsync(cdrs.SelectMany(c => CdrRows.AllRows(tables, source, c)), TableTransactionActionType.UpsertMerge, cancellationToken);
        counters.CdrsWritten += cdrs.Count;
    }

    private async Task RegisterRecordingsAsync(
        PortSipClient client, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? endedAtFloor,
        List<PortSipDataException> problems, SyncCounters counters, CancellationToken cancellationToken)
    {
        var batch = new List<PortSipRecordingSummary>(FlushSize);
        await foreach (var item in client.ListRecordingsAsync(from, to, cancellationToken))
        {
            if (!item.IsValid)
            {
                problems.Add(item.Error!);
                continue;
            }

            var recording = item.Value;
            if (endedAtFloor is { } floor && recording.EndedAt is { } ended && ended < floor)
            {
                continue;
            }

            batch.Add(recording);
            if (batch.Count >= FlushSize)
            {
                counters.RecordingsEnqueued += await recordings.RegisterAsync(client.SourceName, batch, cancellationToken);
                batch.Clear();
            }
        }

        counters.RecordingsEnqueued += await recordings.RegisterAsync(client.SourceName, batch, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: {Kind} {ItemId} quarantined (field {Field}): {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string source, string kind, string itemId, string field, string reason);
}
