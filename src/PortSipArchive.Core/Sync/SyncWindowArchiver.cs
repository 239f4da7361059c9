using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>Counts of one source's run, and where its time went (wall time spent waiting on each part).</summary>
public sealed class SyncCounters
{
    public long CdrsWritten { get; set; }

    public long RecordingsEnqueued { get; set; }

    public long Quarantined { get; set; }

    /// <summary>Waiting for PortSIP CDR list pages.</summary>
    public TimeSpan CdrListing { get; set; }

    /// <summary>Waiting for CDR table writes (a free transaction slot, the flush at each commit).</summary>
    public TimeSpan CdrWrites { get; set; }

    /// <summary>Listing and registering recordings (PortSIP list pages, status reads, rows, queue messages), as far as the run waited for it.</summary>
    public TimeSpan Recordings { get; set; }

    /// <summary>The part of <see cref="Recordings"/> spent waiting for background registration (<see cref="RecordingRegistration"/>).</summary>
    public TimeSpan RecordingWaits { get; set; }

    /// <summary>Recomputing daily aggregates.</summary>
    public TimeSpan Stats { get; set; }

    public int Transactions { get; set; }

    public long RowsWritten { get; set; }
}

/// <summary>
/// Archives one started_at window of one source: lists its CDRs and adds their rows (cdrs, cdrsbyext, keys) to the
/// run's <see cref="TableWriteBuffer"/> (full transactions are sent while the next pages are read; the caller
/// commits with <see cref="TableWriteBuffer.FlushAsync"/> before it moves the watermark), registers its recordings and
/// quarantines unreadable items. Returns the UTC days of the CDRs it added, whose aggregates the caller recomputes.
/// Everything is an idempotent upsert, so a window can be archived again.
/// </summary>
public sealed partial class SyncWindowArchiver(
    ArchiveTables tables, RecordingQueueWriter recordings, QuarantineWriter quarantine, TimeProvider stopwatch,
    ILogger<SyncWindowArchiver> logger)
{
    /// <summary>Recordings collected (over one or more chunks) before they are registered.</summary>
    public const int FlushSize = 1000;

    /// <summary>
    /// The main pass commits (flushes the buffer and moves the watermark) once this many rows are pending or sent since
    /// the last commit, and at its end. Larger: fuller transactions; smaller: less to list again after a crash.
    /// </summary>
    public const int CommitRows = 10_000;

    /// <summary>Items of each PortSIP list read ahead of the writes (three pages of 100).</summary>
    public const int ReadAheadItems = 300;

    /// <summary>The buffer the sync writes CDR rows with: Merge, never Replace, so RecordingIds written by the recording archiver survive a re-sync.</summary>
    public static TableWriteBuffer CreateCdrBuffer(TableBatchWriter writer) => new(writer, TableTransactionActionType.UpsertMerge);

    /// <summary>
    /// Archives CDRs and recordings with started_at in [from, to). With <paramref name="endedAtFloor"/>, only items that
    /// ended at or after it (or have no end time) are written — the long-call sweep, which lists a long window again.
    /// </summary>
    public Task<HashSet<DateOnly>> ArchiveAsync(
        PortSipClient client, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? endedAtFloor, TableWriteBuffer buffer,
        List<PortSipRecordingSummary> recordingsToRegister, SyncCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(recordingsToRegister);
        return ArchiveAsync(client, from, to, endedAtFloor, buffer, AddAndRegisterWhenFull, counters, cancellationToken);

        async Task AddAndRegisterWhenFull(PortSipRecordingSummary recording)
        {
            recordingsToRegister.Add(recording);
            if (recordingsToRegister.Count >= FlushSize)
            {
                counters.RecordingsEnqueued += await recordings.RegisterAsync(client.SourceName, recordingsToRegister, cancellationToken);
                recordingsToRegister.Clear();
            }
        }
    }

    /// <summary>As above, handing the window's recordings to the run's background <paramref name="registration"/>.</summary>
    public Task<HashSet<DateOnly>> ArchiveAsync(
        PortSipClient client, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? endedAtFloor, TableWriteBuffer buffer,
        RecordingRegistration registration, SyncCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return ArchiveAsync(client, from, to, endedAtFloor, buffer, registration.AddAsync, counters, cancellationToken);
    }

    private async Task<HashSet<DateOnly>> ArchiveAsync(
        PortSipClient client, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? endedAtFloor, TableWriteBuffer buffer,
        Func<PortSipRecordingSummary, Task> addRecording, SyncCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(counters);
        var source = client.SourceName;
        var problems = new List<PortSipDataException>();
        var days = new HashSet<DateOnly>();

        // Both lists are read ahead from the start, so their pages arrive while the rows of earlier pages are written.
        await using var cdrList = new ReadAhead<ParsedItem<PortSipCdr>>(client.ListCdrsAsync(from, to, cancellationToken), ReadAheadItems, cancellationToken);
        await using var recordingList = new ReadAhead<ParsedItem<PortSipRecordingSummary>>(client.ListRecordingsAsync(from, to, cancellationToken), ReadAheadItems, cancellationToken);
        var items = cdrList.ReadAllAsync().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var started = stopwatch.GetTimestamp();
                var more = await items.MoveNextAsync();
                counters.CdrListing += stopwatch.GetElapsedTime(started);
                if (!more)
                {
                    break;
                }

                var item = items.Current;
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

                days.Add(DateOnly.FromDateTime(cdr.StartedAt.UtcDateTime));
                started = stopwatch.GetTimestamp();
                await buffer.AddAsync(CdrRows.AllRows(tables, source, cdr), cancellationToken);
                counters.CdrWrites += stopwatch.GetElapsedTime(started);
                counters.CdrsWritten++;
            }
        }
        finally
        {
            await items.DisposeAsync();
        }

        var recordingsStarted = stopwatch.GetTimestamp();
        await ListRecordingsAsync(recordingList, endedAtFloor, problems, addRecording);
        counters.Recordings += stopwatch.GetElapsedTime(recordingsStarted);

        foreach (var problem in problems)
        {
            LogQuarantined(logger, source, problem.Kind, problem.ItemId ?? "(no id)", problem.Field, problem.Message);
        }

        await quarantine.WriteAsync(source, problems, cancellationToken);
        counters.Quarantined += problems.Count;
        return days;
    }

    /// <summary>
    /// Registers the collected recordings (Pending rows, queue messages) and empties the list. The caller does this
    /// before it moves the watermark; collecting over several chunks saves round trips per chunk.
    /// </summary>
    public async Task RegisterRecordingsAsync(string source, List<PortSipRecordingSummary> pending, SyncCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(counters);
        if (pending.Count == 0)
        {
            return;
        }

        var started = stopwatch.GetTimestamp();
        counters.RecordingsEnqueued += await recordings.RegisterAsync(source, pending, cancellationToken);
        pending.Clear();
        counters.Recordings += stopwatch.GetElapsedTime(started);
    }

    private static async Task ListRecordingsAsync(
        ReadAhead<ParsedItem<PortSipRecordingSummary>> list, DateTimeOffset? endedAtFloor,
        List<PortSipDataException> problems, Func<PortSipRecordingSummary, Task> addRecording)
    {
        await foreach (var item in list.ReadAllAsync())
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

            await addRecording(recording);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: {Kind} {ItemId} quarantined (field {Field}): {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string source, string kind, string itemId, string field, string reason);
}
