using Azure.Data.Tables;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using PortSipArchive.Recordings;
using PortSipArchive.Sync;

namespace PortSipArchive.Backfill;

/// <summary>Where a backfill of one source stands (reported after each committed day).</summary>
public sealed record BackfillProgress(string Source, DateTimeOffset DoneUntil, long Cdrs, long RecordingsArchived, long RecordingsFailed);

/// <summary>
/// Archives a historical range with the same writers as the sync: one UTC day at a time, CDR rows (cdrs, index, keys),
/// recording registration, daily aggregates, then the day's recordings downloaded with bounded parallelism through the
/// same <see cref="RecordingArchiver"/> the queue function uses. A progress row per source and range (state table,
/// partition "backfill") records the day reached only after everything of that day is committed, so a backfill
/// stopped by Ctrl+C or a crash resumes where it was; redoing a day is harmless (idempotent upserts).
/// </summary>
public sealed class BackfillService(
    PortSipClients clients, ArchiveTables tables, SyncWindowArchiver archiver, TableBatchWriter writer, DailyStatsWriter stats, RecordingArchiver recordings)
{
    public const string ProgressPartition = "backfill";

    public async Task<IReadOnlyList<BackfillProgress>> RunAsync(
        DateTimeOffset from, DateTimeOffset to, string? source, int parallelism, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, to);
        await tables.EnsureCreatedAsync(cancellationToken);
        var names = source is null ? clients.Sources.Select(s => s.Name).ToList() : [clients[source].SourceName];
        var results = new List<BackfillProgress>();
        foreach (var name in names)
        {
            results.Add(await RunSourceAsync(clients[name], from.ToUniversalTime(), to.ToUniversalTime(), Math.Clamp(parallelism, 1, 16), progress, cancellationToken));
        }

        return results;
    }

    public static string ProgressRow(string source, DateTimeOffset from, DateTimeOffset to) =>
        $"{source}{ArchiveKeys.Separator}{ArchiveKeys.RowTime(from)}{ArchiveKeys.Separator}{ArchiveKeys.RowTime(to)}";

    private async Task<BackfillProgress> RunSourceAsync(
        PortSipClient client, DateTimeOffset from, DateTimeOffset to, int parallelism, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken)
    {
        var source = client.SourceName;
        var rowKey = ProgressRow(source, from, to);
        var saved = await tables.State.GetEntityIfExistsAsync<TableEntity>(ProgressPartition, rowKey, cancellationToken: cancellationToken);
        var doneUntil = saved.HasValue && saved.Value!.GetDateTimeOffset("DoneUntil") is { } reached ? reached : from;
        var counters = new SyncCounters();
        long archived = 0, failed = 0;
        progress?.Report(new BackfillProgress(source, doneUntil, 0, 0, 0));
        while (doneUntil < to)
        {
            var dayEnd = new DateTimeOffset(doneUntil.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
            var chunkEnd = dayEnd < to ? dayEnd : to;
            var buffer = SyncWindowArchiver.CreateCdrBuffer(writer);
            var toRegister = new List<PortSipRecordingSummary>();
            try
            {
                var days = await archiver.ArchiveAsync(client, doneUntil, chunkEnd, endedAtFloor: null, buffer, toRegister, counters, cancellationToken);
                await archiver.RegisterRecordingsAsync(source, toRegister, counters, cancellationToken);
                await buffer.FlushAsync(cancellationToken);
                await stats.RecomputeAsync(source, days, cancellationToken);
            }
            catch
            {
                await buffer.DrainAsync();
                throw;
            }

            var (ok, notOk) = await ArchiveRecordingsAsync(source, doneUntil, chunkEnd, parallelism, cancellationToken);
            archived += ok;
            failed += notOk;
            doneUntil = chunkEnd;
            await tables.State.UpsertEntityAsync(
                new TableEntity(ProgressPartition, rowKey) { ["DoneUntil"] = doneUntil, ["From"] = from, ["To"] = to, ["Source"] = source },
                TableUpdateMode.Replace, cancellationToken);
            progress?.Report(new BackfillProgress(source, doneUntil, counters.CdrsWritten, archived, failed));
        }

        return new BackfillProgress(source, doneUntil, counters.CdrsWritten, archived, failed);
    }

    /// <summary>Downloads the range's recordings that are not archived yet (Pending or Failed; Missing ones are gone from the PBX).</summary>
    private async Task<(long Archived, long Failed)> ArchiveRecordingsAsync(string source, DateTimeOffset from, DateTimeOffset to, int parallelism, CancellationToken cancellationToken)
    {
        var partition = ArchiveKeys.DayPartition(source, from);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {ArchiveKeys.RowTime(from)} and RowKey lt {ArchiveKeys.RowTime(to)} and Status ne {RecordingStatus.Archived} and Status ne {RecordingStatus.Missing}");
        var messages = new List<RecordingMessage>();
        await foreach (var row in tables.Recordings.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "RecordingId"], cancellationToken: cancellationToken))
        {
            messages.Add(new RecordingMessage(source, row.GetString("RecordingId"), row.PartitionKey, row.RowKey));
        }

        long archived = 0, failed = 0;
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            try
            {
                // dequeueCount 1: a failure is recorded on the row and left to the queue function's retries.
                if (await recordings.ArchiveAsync(message, dequeueCount: 1, ct) is RecordingOutcome.Archived or RecordingOutcome.AlreadyArchived)
                {
                    Interlocked.Increment(ref archived);
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
            }
        });
        return (archived, failed);
    }
}
