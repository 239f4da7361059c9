using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Archive;

namespace PortSipArchive.Recordings;

/// <summary>Where a recording goes: the blob name and the CDR link, fixed on the first attempt so every later attempt uses the same name.</summary>
public sealed record RecordingPlan(string BlobName, CdrLink Link);

/// <summary>
/// Status updates of a recording's row (Merge, so the sync's columns stay): Archived with blob name, size, SHA-256 and
/// CDR link; Missing with the reason; attempts and the last error on every failure, Failed on the last attempt.
/// </summary>
public sealed class RecordingRows(ArchiveTables tables, [FromKeyedServices(ArchiveClock.Key)] TimeProvider time)
{
    public const int MaxReasonLength = 4000;

    public async Task<TableEntity?> ReadAsync(RecordingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var row = await tables.Recordings.GetEntityIfExistsAsync<TableEntity>(message.PartitionKey, message.RowKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The plan stored by an earlier attempt, if any.</summary>
    public static RecordingPlan? StoredPlan(TableEntity? row) =>
        row?.GetString("PlannedBlobName") is { Length: > 0 } name
            ? new RecordingPlan(name, new CdrLink(NullIfEmpty(row.GetString("CdrId")), row.GetString("CdrLink") ?? CdrLinkKind.None))
            : null;

    public Task SavePlanAsync(RecordingMessage message, RecordingPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return MergeAsync(message, new()
        {
            ["PlannedBlobName"] = plan.BlobName,
            ["CdrId"] = plan.Link.CdrId ?? string.Empty,
            ["CdrLink"] = plan.Link.Kind,
        }, cancellationToken);
    }

    public async Task MarkArchivedAsync(RecordingMessage message, RecordingPlan plan, BlobWriteResult blob, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(blob);
        await MergeAsync(message, new()
        {
            ["Status"] = RecordingStatus.Archived,
            ["BlobName"] = plan.BlobName,
            ["Size"] = blob.Size,
            ["Sha256"] = blob.Sha256,
            ["CdrId"] = plan.Link.CdrId ?? string.Empty,
            ["CdrLink"] = plan.Link.Kind,
            ["ContentType"] = contentType,
            ["ArchivedAt"] = time.GetUtcNow(),
            ["LastError"] = string.Empty,
        }, cancellationToken);
        await RecordingStatusIndex.MoveAsync(tables.RecordingStatus, message, RecordingStatus.Archived, cancellationToken);
    }

    public async Task MarkMissingAsync(RecordingMessage message, string reason, CancellationToken cancellationToken)
    {
        await MergeAsync(message, new()
        {
            ["Status"] = RecordingStatus.Missing,
            ["MissingReason"] = reason,
            ["MissingAt"] = time.GetUtcNow(),
        }, cancellationToken);
        await RecordingStatusIndex.MoveAsync(tables.RecordingStatus, message, RecordingStatus.Missing, cancellationToken);
    }

    /// <summary>Records a failed attempt; on the last one the row becomes Failed (an Archived row is never downgraded).</summary>
    public async Task RecordFailureAsync(RecordingMessage message, string reason, long attempt, bool last, CancellationToken cancellationToken)
    {
        var values = new TableEntity
        {
            ["Attempts"] = attempt,
            ["LastError"] = Cut(reason),
            ["LastErrorAt"] = time.GetUtcNow(),
        };
        if (last && (await ReadAsync(message, cancellationToken))?.GetString("Status") != RecordingStatus.Archived)
        {
            values["Status"] = RecordingStatus.Failed;
            values["FailedReason"] = Cut(reason);
            values["FailedAt"] = time.GetUtcNow();
        }

        await MergeAsync(message, values, cancellationToken);
        if (values.ContainsKey("Status"))
        {
            await RecordingStatusIndex.MoveAsync(tables.RecordingStatus, message, RecordingStatus.Failed, cancellationToken);
        }
    }

    public Task MarkDeletedFromPbxAsync(RecordingMessage message, string? error, CancellationToken cancellationToken) =>
        MergeAsync(message, error is null
            ? new() { ["PbxDeleted"] = true, ["PbxDeletedAt"] = time.GetUtcNow(), ["PbxDeleteError"] = string.Empty }
            : new() { ["PbxDeleted"] = false, ["PbxDeleteError"] = Cut(error) },
            cancellationToken);

    private static string Cut(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength];

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task MergeAsync(RecordingMessage message, TableEntity values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        values.PartitionKey = message.PartitionKey;
        values.RowKey = message.RowKey;
        values.ETag = ETag.All;
        await tables.Recordings.UpsertEntityAsync(values, TableUpdateMode.Merge, cancellationToken);
    }
}
