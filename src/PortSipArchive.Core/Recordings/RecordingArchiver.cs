using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Recordings;

/// <summary>What one message did.</summary>
public enum RecordingOutcome
{
    /// <summary>Downloaded, verified and stored now (or found stored by a concurrent delivery and verified).</summary>
    Archived,

    /// <summary>The row was already Archived: nothing downloaded.</summary>
    AlreadyArchived,

    /// <summary>The PBX answered 404: the row is Missing, the message is done.</summary>
    Missing,
}

/// <summary>
/// Archives one recording per queue message, idempotently: detail → CDR link → streamed, verified, create-only upload →
/// CDR row gets the recording id → row Archived → optionally delete on the PBX. A blob that already exists (a duplicate
/// or concurrent delivery) is verified and finishes the row without a second download. Failures are rethrown so the
/// queue retries; on the last attempt the row is marked Failed first. See docs/recordings.md.
/// </summary>
public sealed partial class RecordingArchiver(
    ArchiveTables tables,
    RecordingContainer container,
    PortSipClients clients,
    CdrLinker linker,
    RecordingBlobWriter writer,
    RecordingRows rows,
    RecordingSettings settings,
    ILogger<RecordingArchiver> logger)
{
    /// <summary>The entry point of the queue function: the message text and the trigger's dequeue count (1 on the first attempt).</summary>
    public Task<RecordingOutcome> ArchiveAsync(string messageText, long dequeueCount, CancellationToken cancellationToken) =>
        ArchiveAsync(RecordingMessageReader.Parse(messageText), dequeueCount, cancellationToken);

    public async Task<RecordingOutcome> ArchiveAsync(RecordingMessage message, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return await ArchiveOnceAsync(message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var last = dequeueCount >= settings.MaxDequeueCount;
            var reason = Reason(ex);
            LogAttemptFailed(message.Source, message.RecordingId, dequeueCount, settings.MaxDequeueCount, last, ex);
            try
            {
                await rows.RecordFailureAsync(message, reason, dequeueCount, last, cancellationToken);
            }
            catch (RequestFailedException rowError)
            {
                LogFailureNotRecorded(message.Source, message.RecordingId, rowError);
            }

            throw;
        }
    }

    private async Task<RecordingOutcome> ArchiveOnceAsync(RecordingMessage message, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        await container.EnsureCreatedAsync(cancellationToken);
        var row = await rows.ReadAsync(message, cancellationToken);
        var client = clients[message.Source];
        switch (row?.GetString("Status"))
        {
            case RecordingStatus.Archived:
                LogAlreadyArchived(message.Source, message.RecordingId);
                if (settings.DeleteFromPbxAfterArchive && row.GetBoolean("PbxDeleted") != true)
                {
                    await DeleteFromPbxAsync(client, message, cancellationToken);
                }

                return RecordingOutcome.AlreadyArchived;
            case RecordingStatus.Missing:
                return RecordingOutcome.Missing;
        }

        var detail = await client.GetRecordingDetailAsync(message.RecordingId, cancellationToken);
        if (detail is null)
        {
            return await MissingAsync(message, "The PBX answered 404 for the recording's detail.", cancellationToken);
        }

        var startedAt = detail.StartedAt ?? row?.GetDateTimeOffset("StartedAt")
            ?? throw new RecordingArchiveException("The recording has no started_at (neither in its detail nor in its row).");
        var plan = RecordingRows.StoredPlan(row);
        var mayExist = plan is not null;
        if (plan is null)
        {
            var link = await linker.FindAsync(message.Source, detail, startedAt, cancellationToken);
            var extension = RecordingFileName.Extension(detail.FileName);
            plan = new RecordingPlan(RecordingMetadata.BlobName(message.Source, startedAt, link.CdrId, message.RecordingId, extension), link);
            await rows.SavePlanAsync(message, plan, cancellationToken);
        }

        var contentType = RecordingFileName.ContentType(RecordingFileName.Extension(detail.FileName));
        var blob = container.Client.GetBlockBlobClient(plan.BlobName);
        // Only an attempt that stored the plan can have committed the blob; a concurrent first delivery is caught by the 409.
        var stored = mayExist ? await VerifyExistingAsync(blob, message, detail, expectedSha256: null, cancellationToken) : null;
        if (stored is not null)
        {
            LogFoundStored(message.Source, message.RecordingId, plan.BlobName);
        }
        else
        {
            await using var download = await client.OpenDownloadAsync(detail, cancellationToken);
            if (download is null)
            {
                return await MissingAsync(message, "The PBX answered 404 for the recording's download.", cancellationToken);
            }

            var metadata = RecordingMetadata.Build(message.Source, detail, plan.Link.CdrId, startedAt);
            var headers = new BlobHttpHeaders { ContentType = contentType };
            var written = await writer.WriteAsync(blob, download.Content, new ExpectedSize(download.ContentLength, detail.FileSize), headers, metadata, cancellationToken);
            stored = written.Created
                ? written
                : await VerifyExistingAsync(blob, message, detail, written.Sha256, cancellationToken)
                    ?? throw new RecordingArchiveException($"The blob {plan.BlobName} was reported to exist but cannot be read.");
        }

        if (!await linker.AddRecordingAsync(message.Source, plan.Link, message.RecordingId, cancellationToken) && plan.Link.CdrId is not null)
        {
            LogCdrNotArchived(message.Source, message.RecordingId, plan.Link.CdrId);
        }

        await rows.MarkArchivedAsync(message, plan, stored, contentType, cancellationToken);
        LogArchived(message.Source, message.RecordingId, plan.BlobName, stored.Size, plan.Link.Kind);
        if (settings.DeleteFromPbxAfterArchive)
        {
            await DeleteFromPbxAsync(client, message, cancellationToken);
        }

        return RecordingOutcome.Archived;
    }

    /// <summary>
    /// Null when the blob does not exist. Otherwise checks that it is this recording's complete copy (recording id and
    /// sha256 metadata, size = file_size when known, sha256 = this attempt's hash when given) and returns its figures.
    /// </summary>
    private static async Task<BlobWriteResult?> VerifyExistingAsync(
        BlockBlobClient blob, RecordingMessage message, PortSipRecordingDetail detail, string? expectedSha256, CancellationToken cancellationToken)
    {
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        var metadata = properties.Metadata;
        var sha256 = metadata.TryGetValue(RecordingMetadata.Sha256, out var s) ? s : null;
        var recordingId = metadata.TryGetValue(RecordingMetadata.RecordingId, out var r) ? RecordingMetadata.Decode(r) : null;
        var problem =
            recordingId != message.RecordingId ? $"its recordingid metadata is '{recordingId}'"
            : sha256 is not { Length: 64 } ? "it has no sha256 metadata"
            : properties.ContentLength == 0 ? "it is empty"
            : detail.FileSize > 0 && properties.ContentLength != detail.FileSize ? string.Create(CultureInfo.InvariantCulture, $"it has {properties.ContentLength} bytes, file_size says {detail.FileSize}")
            : expectedSha256 is not null && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase) ? "its sha256 differs from the downloaded content's"
            : null;
        return problem is null
            ? new BlobWriteResult(false, properties.ContentLength, sha256!)
            : throw new RecordingArchiveException($"The blob {blob.Name} already exists but does not match: {problem}.");
    }

    private async Task<RecordingOutcome> MissingAsync(RecordingMessage message, string reason, CancellationToken cancellationToken)
    {
        await rows.MarkMissingAsync(message, reason, cancellationToken);
        LogMissing(message.Source, message.RecordingId, reason);
        return RecordingOutcome.Missing;
    }

    /// <summary>Only after the blob and the row are committed. A failure is logged and kept on the row; the recording stays on the PBX.</summary>
    private async Task DeleteFromPbxAsync(PortSipClient client, RecordingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await client.DestroyRecordingAsync(message.RecordingId, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeleteFailed(message.Source, message.RecordingId, ex);
            await rows.MarkDeletedFromPbxAsync(message, Reason(ex), cancellationToken);
            return;
        }

        await rows.MarkDeletedFromPbxAsync(message, null, cancellationToken);
        LogDeleted(message.Source, message.RecordingId);
    }

    private static string Reason(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null && parts.Count < 4; e = e.InnerException)
        {
            parts.Add($"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" <- ", parts);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Recording {Source}/{RecordingId} archived as {BlobName} ({Size} bytes, CDR link {LinkKind})")]
    private partial void LogArchived(string source, string recordingId, string blobName, long size, string linkKind);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Recording {Source}/{RecordingId} is already archived; nothing downloaded")]
    private partial void LogAlreadyArchived(string source, string recordingId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Recording {Source}/{RecordingId}: blob {BlobName} already stored (duplicate or concurrent delivery), verified; nothing downloaded")]
    private partial void LogFoundStored(string source, string recordingId, string blobName);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Recording {Source}/{RecordingId} is missing on the PBX: {Reason}")]
    private partial void LogMissing(string source, string recordingId, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Recording {Source}/{RecordingId}: attempt {Attempt} of {MaxAttempts} failed (last: {Last})")]
    private partial void LogAttemptFailed(string source, string recordingId, long attempt, int maxAttempts, bool last, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Recording {Source}/{RecordingId}: the failure could not be written to its row")]
    private partial void LogFailureNotRecorded(string source, string recordingId, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Recording {Source}/{RecordingId}: its CDR {CdrId} is not archived (yet); RecordingIds not updated")]
    private partial void LogCdrNotArchived(string source, string recordingId, string cdrId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Recording {Source}/{RecordingId} deleted on the PBX after a verified archive")]
    private partial void LogDeleted(string source, string recordingId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Recording {Source}/{RecordingId} is archived but could not be deleted on the PBX")]
    private partial void LogDeleteFailed(string source, string recordingId, Exception exception);
}
