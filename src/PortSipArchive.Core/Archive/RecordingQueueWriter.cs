using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PortSipArchive.PortSip;

namespace PortSipArchive.Archive;

/// <summary>Recording row status values.</summary>
public static class RecordingStatus
{
    public const string Pending = "Pending";
    public const string Archived = "Archived";
    public const string Failed = "Failed";
    public const string Missing = "Missing";
}

/// <summary>The queue message for one recording (Base64 JSON on the wire).</summary>
public sealed record RecordingMessage(string Source, string RecordingId, string PartitionKey, string RowKey)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>
/// Registers new recordings: first their key row and their entry in the Pending status index, then a queue message,
/// then their Pending row, written insert-only. A recording's row therefore exists only once its message was sent (or
/// the archiver, having received the message, wrote it first): a recording without a row is new, or its run stopped
/// between the send and the row, and is sent (again); a recording with a row is left alone. The table, not the queue,
/// is the record of work, with one write per entity and no second "enqueued" mark. The index entry comes first because
/// the archiver removes it when it finishes. Existing rows are read with one RowKey-range query per partition.
/// </summary>
public sealed partial class RecordingQueueWriter(ArchiveTables tables, TableBatchWriter writer, TimeProvider stopwatch, ILogger<RecordingQueueWriter> logger)
{
    /// <summary>Queue messages sent in parallel (one request each: the queue service has no batch send, so latency is hidden by concurrency).</summary>
    public const int SendParallelism = 64;

    /// <summary>Time spent sending queue messages, for the benchmark's breakdown.</summary>
    public TimeSpan SendTime => TimeSpan.FromTicks(Interlocked.Read(ref _sendTicks));

    private long _sendTicks;

    private static readonly string[] KeyColumns = ["RowKey"];

    /// <summary>Returns the number of messages sent.</summary>
    public async Task<int> RegisterAsync(string source, IReadOnlyCollection<PortSipRecordingSummary> recordings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var fresh = new List<PortSipRecordingSummary>();
        foreach (var partition in recordings.GroupBy(r => ArchiveKeys.DayPartition(source, r.StartedAt)))
        {
            var rows = partition.Select(r => (Recording: r, RowKey: ArchiveKeys.TimeRow(r.StartedAt, r.Id))).ToList();
            var existing = await ReadExistingAsync(partition.Key, rows.Min(r => r.RowKey)!, rows.Max(r => r.RowKey)!, cancellationToken);
            fresh.AddRange(rows.Where(r => !existing.Contains(r.RowKey)).Select(r => r.Recording));
        }

        if (fresh.Count == 0)
        {
            return 0;
        }

        var messages = fresh.Select(r => (Recording: r, Message: Message(source, r))).ToList();
        await writer.UpsertAsync(messages.SelectMany(m => IndexRows(tables, m.Message)), TableTransactionActionType.UpsertMerge, cancellationToken);
        var started = stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = SendParallelism, CancellationToken = cancellationToken },
            async (m, ct) => await tables.RecordingsQueue.SendMessageAsync(m.Message.ToJson(), visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), ct));
        Interlocked.Add(ref _sendTicks, stopwatch.GetElapsedTime(started).Ticks);
        var existed = await writer.InsertNewAsync(messages.Select(m => new TableWrite(tables.Recordings, PendingRow(m.Message, m.Recording))), cancellationToken);
        foreach (var row in existed)
        {
            await CompleteRowAsync(row, cancellationToken);
        }

        return fresh.Count;
    }

    /// <summary>
    /// The table entities a new recording gets: its key row, its entry in the Pending status index and its Pending row
    /// (also used by the benchmark's storage ceiling).
    /// </summary>
    public static IEnumerable<TableWrite> NewRows(ArchiveTables tables, string source, PortSipRecordingSummary recording)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var message = Message(source, recording);
        return IndexRows(tables, message).Append(new TableWrite(tables.Recordings, PendingRow(message, recording)));
    }

    public static RecordingMessage Message(string source, PortSipRecordingSummary recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new(source, recording.Id, ArchiveKeys.DayPartition(source, recording.StartedAt), ArchiveKeys.TimeRow(recording.StartedAt, recording.Id));
    }

    private static IEnumerable<TableWrite> IndexRows(ArchiveTables tables, RecordingMessage message)
    {
        yield return new TableWrite(tables.Keys, CdrRows.KeyRow("rec", message.Source, message.RecordingId, message.PartitionKey, message.RowKey));
        yield return new TableWrite(tables.RecordingStatus, Recordings.RecordingStatusIndex.Entry(message.Source, RecordingStatus.Pending, message.PartitionKey, message.RowKey));
    }

    private static TableEntity PendingRow(RecordingMessage message, PortSipRecordingSummary recording)
    {
        var row = new TableEntity(message.PartitionKey, message.RowKey)
        {
            ["Status"] = RecordingStatus.Pending,
            ["RecordingId"] = recording.Id,
            ["Source"] = message.Source,
            ["Caller"] = recording.Caller,
            ["Callee"] = recording.Callee,
            ["StartedAt"] = recording.StartedAt,
        };
        if (recording.EndedAt is { } ended)
        {
            row["EndedAt"] = ended;
        }

        return row;
    }

    /// <summary>
    /// The archiver wrote the row between the send and the insert (it got the message first). Adds the sync's columns;
    /// the status too, but only while the archiver has set none (a failed first attempt), never over its status.
    /// </summary>
    internal async Task CompleteRowAsync(ITableEntity pending, CancellationToken cancellationToken)
    {
        var wanted = (TableEntity)pending;
        LogRowWrittenByArchiver(logger, wanted.PartitionKey, wanted.RowKey);
        for (var attempt = 0; ; attempt++)
        {
            var current = await tables.Recordings.GetEntityAsync<TableEntity>(wanted.PartitionKey, wanted.RowKey, cancellationToken: cancellationToken);
            var values = new TableEntity(wanted) { ETag = current.Value.ETag };
            if (!string.IsNullOrEmpty(current.Value.GetString("Status")))
            {
                values.Remove("Status");
            }

            try
            {
                await tables.Recordings.UpdateEntityAsync(values, values.ETag, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 5)
            {
                // The archiver changed the row meanwhile: read it again.
            }
        }
    }

    private async Task<HashSet<string>> ReadExistingAsync(string partitionKey, string fromRow, string toRow, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {fromRow} and RowKey le {toRow}");
        await foreach (var row in tables.Recordings.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken))
        {
            found.Add(row.RowKey);
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording row {PartitionKey}/{RowKey}: the archiver wrote it before the sync; the sync's columns were added")]
    private static partial void LogRowWrittenByArchiver(ILogger logger, string partitionKey, string rowKey);
}
