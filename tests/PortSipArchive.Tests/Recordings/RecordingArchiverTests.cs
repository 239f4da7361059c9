using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using PortSipArchive.Recordings;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Recordings;

[Collection(AzuriteCollection.Name)]
public sealed class RecordingArchiverTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_recording_is_archived_with_the_pbx_content_metadata_and_cdr_link()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 101, calls: 40);
        var recordings = h.Pbx.VisibleRecordings();
        Assert.NotEmpty(recordings);

        Assert.Empty(await h.DrainAsync());

        Assert.Equal(recordings.Count, h.Pbx.Requests.Count(EndpointKind.Blob));
        Assert.Equal(recordings.Count, (await h.BlobNamesAsync()).Count);
        Assert.Equal(PublicAccessType.None, (await h.Container.GetPropertiesAsync()).Value.PublicAccess);
        foreach (var recording in recordings)
        {
            var row = await h.RowAsync(recording.Id);
            var expectedSha = h.ExpectedSha256(recording.Id);
            Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
            Assert.Equal(recording.Size, row.GetInt64("Size"));
            Assert.Equal(expectedSha, row.GetString("Sha256"));
            Assert.Equal(recording.ContentType, row.GetString("ContentType"));
            Assert.NotNull(row.GetDateTimeOffset("ArchivedAt"));
            var ext = recording.IsMp3 ? "mp3" : "wav";
            var linked = RecordingFileName.TryGetCdrId(recording.FileName) is not null;
            var cdr = linked ? recording.CdrId : "unlinked";
            Assert.Equal($"main/{recording.StartedAt.UtcDateTime:yyyy'/'MM'/'dd}/{cdr}_{recording.Id}.{ext}", row.GetString("BlobName"));
            Assert.Equal(recording.CdrId, row.GetString("CdrId"));
            Assert.Equal(linked ? CdrLinkKind.FileName : CdrLinkKind.Matched, row.GetString("CdrLink"));

            var blob = h.Container.GetBlobClient(row.GetString("BlobName"));
            var properties = (await blob.GetPropertiesAsync()).Value;
            Assert.Equal(recording.Size, properties.ContentLength);
            Assert.Equal(recording.ContentType, properties.ContentType);
            Assert.Equal(expectedSha, properties.Metadata[RecordingMetadata.Sha256]);
            Assert.Equal("main", properties.Metadata[RecordingMetadata.Source]);
            Assert.Equal(recording.Id, properties.Metadata[RecordingMetadata.RecordingId]);
            Assert.Equal(recording.CdrId, properties.Metadata[RecordingMetadata.CdrId]);
            Assert.Equal(RecordingMetadata.Encode(recording.Caller), properties.Metadata[RecordingMetadata.Caller]);
            Assert.Equal(RecordingMetadata.Encode(recording.Callee), properties.Metadata[RecordingMetadata.Callee]);
            Assert.Equal(recording.StartedAt, DateTimeOffset.Parse(properties.Metadata[RecordingMetadata.StartedAt], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expectedSha, await h.BlobSha256Async(row.GetString("BlobName")));

            var cdrRow = await h.CdrRowAsync(recording.CdrId);
            Assert.Contains(recording.Id, cdrRow!.GetString(CdrLinker.RecordingIdsColumn).Split(','));
        }

        Assert.Empty(h.Pbx.Data.DestroyedRecordingIds);
    }

    [Fact]
    public async Task Cdr_is_matched_by_caller_callee_and_time_when_the_file_name_has_no_cdr_id()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 102, calls: 30, g => g.UnlinkedFileNameShare = 1.0);
        var recordings = h.Pbx.VisibleRecordings();
        Assert.All(recordings, r => Assert.Null(RecordingFileName.TryGetCdrId(r.FileName)));

        Assert.Empty(await h.DrainAsync());

        foreach (var recording in recordings)
        {
            var row = await h.RowAsync(recording.Id);
            Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
            Assert.Equal(CdrLinkKind.Matched, row.GetString("CdrLink"));
            Assert.Equal(recording.CdrId, row.GetString("CdrId"));
            Assert.Contains($"/{recording.CdrId}_{recording.Id}.", row.GetString("BlobName"), StringComparison.Ordinal);
            Assert.Contains(recording.Id, (await h.CdrRowAsync(recording.CdrId))!.GetString(CdrLinker.RecordingIdsColumn).Split(','));
        }
    }

    [Fact]
    public async Task A_message_delivered_twice_downloads_once_and_both_deliveries_succeed()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 103, calls: 6);
        var message = (await h.ReceiveAllAsync())[0];
        var text = message.Body.ToString();
        var recordingId = RecordingMessageReader.Parse(text).RecordingId;

        Assert.Equal(RecordingOutcome.Archived, await h.Archiver.ArchiveAsync(text, 1, CancellationToken.None));
        Assert.Equal(RecordingOutcome.AlreadyArchived, await h.Archiver.ArchiveAsync(text, 1, CancellationToken.None));
        Assert.Equal(1, h.Pbx.Requests.Count(EndpointKind.Blob));

        // A crash after the commit, before the row update: the next delivery finds and verifies the blob, no download.
        var row = await h.RowAsync(recordingId);
        await h.Tables.Recordings.UpsertEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["Status"] = RecordingStatus.Pending }, TableUpdateMode.Merge);
        Assert.Equal(RecordingOutcome.Archived, await h.Archiver.ArchiveAsync(text, 2, CancellationToken.None));
        Assert.Equal(1, h.Pbx.Requests.Count(EndpointKind.Blob));
        row = await h.RowAsync(recordingId);
        Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
        Assert.Equal(h.ExpectedSha256(recordingId), row.GetString("Sha256"));
        Assert.Single(await h.BlobNamesAsync());
    }

    [Fact]
    public async Task Two_deliveries_at_once_leave_one_correct_blob()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 104, calls: 6, g => g.RecordingSize = _ => (3 * 1024 * 1024) + 44);
        var text = (await h.ReceiveAllAsync())[0].Body.ToString();
        var recordingId = RecordingMessageReader.Parse(text).RecordingId;

        var outcomes = await Task.WhenAll(
            h.Archiver.ArchiveAsync(text, 1, CancellationToken.None),
            h.Archiver.ArchiveAsync(text, 1, CancellationToken.None));

        Assert.All(outcomes, o => Assert.NotEqual(RecordingOutcome.Missing, o));
        var row = await h.RowAsync(recordingId);
        Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
        var blobName = Assert.Single(await h.BlobNamesAsync());
        Assert.Equal(row.GetString("BlobName"), blobName);
        Assert.Equal(h.ExpectedSha256(recordingId), await h.BlobSha256Async(blobName));
        Assert.Equal(h.Pbx.Data.FindRecording(recordingId)!.Size, (await h.Container.GetBlobClient(blobName).GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task A_truncated_download_fails_the_attempt_and_the_next_attempt_archives()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 105, calls: 6, g => g.RecordingSize = _ => (1024 * 1024) + 44);
        var text = (await h.ReceiveAllAsync())[0].Body.ToString();
        var recordingId = RecordingMessageReader.Parse(text).RecordingId;
        h.Pbx.Faults.TruncateBlobs(1);

        await Assert.ThrowsAnyAsync<Exception>(() => h.Archiver.ArchiveAsync(text, 1, CancellationToken.None));
        var row = await h.RowAsync(recordingId);
        Assert.Equal(RecordingStatus.Pending, row.GetString("Status"));
        Assert.Equal(1, row.GetInt64("Attempts"));
        Assert.False(string.IsNullOrEmpty(row.GetString("LastError")));
        Assert.Empty(await h.BlobNamesAsync());

        Assert.Equal(RecordingOutcome.Archived, await h.Archiver.ArchiveAsync(text, 2, CancellationToken.None));
        row = await h.RowAsync(recordingId);
        Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
        Assert.Equal(h.ExpectedSha256(recordingId), await h.BlobSha256Async(row.GetString("BlobName")));
    }

    [Fact]
    public async Task A_permanent_failure_ends_in_the_poison_queue_with_a_failed_row_and_nothing_deleted()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 106, calls: 4, settings: new Dictionary<string, string?>
        {
            ["PortSip__MaxRetries"] = "1",
            ["Recordings__DeleteFromPbxAfterArchive"] = "true",
        });
        var recordings = h.Pbx.VisibleRecordings();
        Assert.NotEmpty(recordings);
        h.Pbx.Faults.ServerErrors(10_000, 503, EndpointKind.Blob);

        var errors = await h.DrainAsync();

        Assert.Equal(recordings.Count * h.Settings.MaxDequeueCount, errors.Count);
        Assert.Equal(recordings.Count, (await h.Poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, (await h.Tables.RecordingsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        foreach (var recording in recordings)
        {
            var row = await h.RowAsync(recording.Id);
            Assert.Equal(RecordingStatus.Failed, row.GetString("Status"));
            Assert.Contains("503", row.GetString("FailedReason"), StringComparison.Ordinal);
            Assert.Equal(h.Settings.MaxDequeueCount, row.GetInt64("Attempts"));
        }

        Assert.Empty(await h.BlobNamesAsync());
        Assert.Empty(h.Pbx.Data.DestroyedRecordingIds);
        Assert.Equal(0, h.Pbx.Requests.Count(EndpointKind.Destroy));
    }

    [Fact]
    public async Task A_recording_the_pbx_no_longer_has_is_marked_missing_without_retry()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 107, calls: 6);
        var text = (await h.ReceiveAllAsync())[0].Body.ToString();
        var recordingId = RecordingMessageReader.Parse(text).RecordingId;
        h.Pbx.Faults.RecordingsGone.Add(recordingId);

        Assert.Equal(RecordingOutcome.Missing, await h.Archiver.ArchiveAsync(text, 1, CancellationToken.None));

        var row = await h.RowAsync(recordingId);
        Assert.Equal(RecordingStatus.Missing, row.GetString("Status"));
        Assert.Contains("404", row.GetString("MissingReason"), StringComparison.Ordinal);
        Assert.Equal(RecordingOutcome.Missing, await h.Archiver.ArchiveAsync(text, 2, CancellationToken.None));
        Assert.Empty(await h.BlobNamesAsync());
    }

    [Fact]
    public async Task A_private_download_link_is_fetched_with_the_bearer_token()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 108, calls: 10);
        h.Pbx.Faults.PrivateDownloads = true;

        Assert.Empty(await h.DrainAsync());

        var recordings = h.Pbx.VisibleRecordings();
        foreach (var recording in recordings)
        {
            Assert.Equal(RecordingStatus.Archived, (await h.RowAsync(recording.Id)).GetString("Status"));
        }

        var downloads = h.Pbx.Requests.Log().Where(r => r.Kind == EndpointKind.Blob).ToList();
        Assert.Equal(recordings.Count, downloads.Count);
        Assert.All(downloads, d => Assert.True(d.HasAuthorization));
        Assert.All(downloads, d => Assert.Equal(200, d.Status));
    }

    [Fact]
    public async Task With_delete_after_archive_on_each_archived_recording_is_destroyed_on_the_pbx()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 109, calls: 12, settings: new Dictionary<string, string?>
        {
            ["Recordings__DeleteFromPbxAfterArchive"] = "true",
        });
        var recordings = h.Pbx.VisibleRecordings();

        Assert.Empty(await h.DrainAsync());

        Assert.Equal(recordings.Select(r => r.Id).Order(StringComparer.Ordinal), h.Pbx.Data.DestroyedRecordingIds.Order(StringComparer.Ordinal));
        foreach (var recording in recordings)
        {
            var row = await h.RowAsync(recording.Id);
            Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
            Assert.True(row.GetBoolean("PbxDeleted"));
        }
    }
}
