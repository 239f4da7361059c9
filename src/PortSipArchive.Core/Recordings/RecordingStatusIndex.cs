using Azure.Data.Tables;
using PortSipArchive.Archive;

namespace PortSipArchive.Recordings;

/// <summary>
/// The <c>recordingstatus</c> index: one row per recording that needs attention, PK <c>{source}|{Status}</c> (Pending,
/// Failed, Missing), RK <c>{recordings PartitionKey}|{RowKey}</c>. Written on registration and on every status change, so
/// <c>GET /api/status</c> counts small partitions instead of scanning the recordings. Archived recordings leave it.
/// </summary>
public static class RecordingStatusIndex
{
    public static string Partition(string source, string status) => source + ArchiveKeys.Separator + status;

    public static string Row(string recordingPartition, string recordingRow) => recordingPartition + ArchiveKeys.Separator + recordingRow;

    public static TableEntity Entry(string source, string status, string recordingPartition, string recordingRow) =>
        new(Partition(source, status), Row(recordingPartition, recordingRow));

    /// <summary>Moves a recording to <paramref name="status"/>: upserts its entry there (unless Archived) and deletes it from the other statuses.</summary>
    public static async Task MoveAsync(TableClient index, RecordingMessage message, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(message);
        if (status != RecordingStatus.Archived)
        {
            await index.UpsertEntityAsync(Entry(message.Source, status, message.PartitionKey, message.RowKey), TableUpdateMode.Replace, cancellationToken);
        }

        foreach (var other in new[] { RecordingStatus.Pending, RecordingStatus.Failed, RecordingStatus.Missing }.Where(s => s != status))
        {
            await index.DeleteEntityAsync(Partition(message.Source, other), Row(message.PartitionKey, message.RowKey), cancellationToken: cancellationToken);
        }
    }
}
