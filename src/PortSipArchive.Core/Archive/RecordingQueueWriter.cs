using System.Text.Json;
using Azure.Data.Tables;
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
/// Registers recordings: a Pending row (and its key row) for each new one, then a queue message, then
/// <c>Enqueued = true</c>. The table, not the queue, is the record of outstanding work: a Pending row that was
/// never marked Enqueued (a crash between) is enqueued again; Pending+Enqueued, Archived, Failed and Missing are not.
/// Existing rows are read with one RowKey-range query per partition, not one read per recording.
/// </summary>
public sealed class RecordingQueueWriter(ArchiveTables tables, TableBatchWriter writer, TimeProvider stopwatch)
{
    /// <summary>Queue messages sent in parallel (one request each: the queue service has no batch send, so latency is hidden by concurrency).</summary>
    public const int SendParallelism = 64;

    /// <summary>Time spent sending queue messages, for the benchmark's breakdown.</summary>
    public TimeSpan SendTime => TimeSpan.FromTicks(Interlocked.Read(ref _sendTicks));

    private long _sendTicks;

    private static readonly string[] StatusColumns = ["RowKey", "Status", "Enqueued"];

    /// <summary>Returns the number of messages sent.</summary>
    public async Task<int> RegisterAsync(string source, IReadOnlyCollection<PortSipRecordingSummary> recordings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        if (recordings.Count == 0)
        {
            return 0;
        }

        var newRows = new List<TableWrite>();
        var toEnqueue = new List<RecordingMessage>();
        foreach (var partition in recordings.GroupBy(r => ArchiveKeys.DayPartition(source, r.StartedAt)))
        {
            var rows = partition.Select(r => (Recording: r, RowKey: ArchiveKeys.TimeRow(r.StartedAt, r.Id))).ToList();
            var existing = await ReadExistingAsync(partition.Key, rows.Min(r => r.RowKey)!, rows.Max(r => r.RowKey)!, cancellationToken);
            foreach (var (recording, rowKey) in rows)
            {
                if (existing.TryGetValue(rowKey, out var found))
                {
                    if (found.Status == RecordingStatus.Pending && !found.Enqueued)
                    {
                        toEnqueue.Add(new RecordingMessage(source, recording.Id, partition.Key, rowKey));
                    }

                    continue;
                }

                newRows.AddRange(NewRows(tables, source, recording, enqueued: false));
                toEnqueue.Add(new RecordingMessage(source, recording.Id, partition.Key, rowKey));
            }
        }

        await writer.UpsertAsync(newRows, TableTransactionActionType.UpsertMerge, cancellationToken);
        var started = stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            toEnqueue,
            new ParallelOptions { MaxDegreeOfParallelism = SendParallelism, CancellationToken = cancellationToken },
            async (message, ct) => await tables.RecordingsQueue.SendMessageAsync(message.ToJson(), visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), ct));
        Interlocked.Add(ref _sendTicks, stopwatch.GetElapsedTime(started).Ticks);
        var marks = toEnqueue.Select(m => new TableWrite(tables.Recordings, new TableEntity(m.PartitionKey, m.RowKey) { ["Enqueued"] = true }));
        await writer.UpsertAsync(marks, TableTransactionActionType.UpsertMerge, cancellationToken);
        return toEnqueue.Count;
    }

    /// <summary>
    /// The table entities a new recording gets: its Pending row, its key row and its entry in the Pending status index
    /// (also used by the benchmark's storage ceiling, which writes them once with <paramref name="enqueued"/> true).
    /// </summary>
    public static IEnumerable<TableWrite> NewRows(ArchiveTables tables, string source, PortSipRecordingSummary recording, bool enqueued)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(recording);
        var partitionKey = ArchiveKeys.DayPartition(source, recording.StartedAt);
        var rowKey = ArchiveKeys.TimeRow(recording.StartedAt, recording.Id);
        var row = PendingRow(source, recording, partitionKey, rowKey);
        row["Enqueued"] = enqueued;
        yield return new TableWrite(tables.Recordings, row);
        yield return new TableWrite(tables.Keys, CdrRows.KeyRow("rec", source, recording.Id, partitionKey, rowKey));
        yield return new TableWrite(tables.RecordingStatus, Recordings.RecordingStatusIndex.Entry(source, RecordingStatus.Pending, partitionKey, rowKey));
    }

    private static TableEntity PendingRow(string source, PortSipRecordingSummary recording, string partitionKey, string rowKey)
    {
        var row = new TableEntity(partitionKey, rowKey)
        {
            ["Status"] = RecordingStatus.Pending,
            ["RecordingId"] = recording.Id,
            ["Source"] = source,
            ["Caller"] = recording.Caller,
            ["Callee"] = recording.Callee,
            ["StartedAt"] = recording.StartedAt,
            ["Enqueued"] = false,
        };
        if (recording.EndedAt is { } ended)
        {
            row["EndedAt"] = ended;
        }

        return row;
    }

    private async Task<Dictionary<string, (string? Status, bool Enqueued)>> ReadExistingAsync(string partitionKey, string fromRow, string toRow, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string? Status, bool Enqueued)>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {fromRow} and RowKey le {toRow}");
        await foreach (var row in tables.Recordings.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: StatusColumns, cancellationToken: cancellationToken))
        {
            found[row.RowKey] = (row.GetString("Status"), row.GetBoolean("Enqueued") ?? false);
        }

        return found;
    }
}
