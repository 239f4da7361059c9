using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using PortSipArchive.Archive;
using PortSipArchive.Configuration;
using PortSipArchive.Functions;
using PortSipArchive.Recordings;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Recordings;

[Collection(AzuriteCollection.Name)]
public sealed class RecordingPartsTests(AzuriteFixture azurite)
{
    private static RecordingSettings Load(params (string Key, string Value)[] values) =>
        RecordingSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value))).Build());

    [Fact]
    public void Settings_have_safe_defaults_and_errors_name_the_setting()
    {
        var defaults = Load();
        Assert.False(defaults.DeleteFromPbxAfterArchive);
        Assert.Equal(5, defaults.MaxDequeueCount);
        Assert.Equal(8 * RecordingSettings.MiB, defaults.BlockSize);
        Assert.True(Load(("Recordings__DeleteFromPbxAfterArchive", "true")).DeleteFromPbxAfterArchive);
        Assert.Equal(7, Load(("AzureFunctionsJobHost__extensions__queues__maxDequeueCount", "7")).MaxDequeueCount);
        var error = Assert.Throws<InvalidSettingException>(() => Load(("Recordings__DeleteFromPbxAfterArchive", "maybe")));
        Assert.Contains("Recordings__DeleteFromPbxAfterArchive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_values_are_ascii_trimmed_and_percent_encoded()
    {
        Assert.Equal("Z%C3%BCrich", RecordingMetadata.Encode("  Zürich "));
        Assert.Equal("100%25", RecordingMetadata.Encode("100%"));
        Assert.Equal("a%0Ab", RecordingMetadata.Encode("a\nb"));
        Assert.Equal("sip:101@example.com", RecordingMetadata.Encode("sip:101@example.com"));
        Assert.Equal("Zürich", RecordingMetadata.Decode(RecordingMetadata.Encode("Zürich")));
        var start = new DateTimeOffset(2024, 8, 13, 23, 59, 0, TimeSpan.FromHours(-2));
        Assert.Equal("main/2024/08/14/unlinked_42.mp3", RecordingMetadata.BlobName("main", start, null, "42", "mp3"));
        Assert.Equal("main/2024/08/14/7_42.wav", RecordingMetadata.BlobName("main", start, "7", "42", "wav"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"source\":\"main\"}")]
    [InlineData("null")]
    public void A_malformed_message_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => RecordingMessageReader.Parse(text));

    [Theory]
    [InlineData(1000L, 0L)]
    [InlineData(null, 1000L)]
    [InlineData(999L, 0L)]
    public async Task A_download_that_does_not_match_the_announced_size_commits_nothing(long? contentLength, long fileSize)
    {
        var container = new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("c"));
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlockBlobClient("x.wav");
        var writer = new RecordingBlobWriter(new RecordingSettings { BlockSize = 256 });
        using var content = new MemoryStream(new byte[(contentLength ?? fileSize) == 999 ? 1000 : 600]);

        await Assert.ThrowsAsync<RecordingArchiveException>(() =>
            writer.WriteAsync(blob, content, new ExpectedSize(contentLength, fileSize), new BlobHttpHeaders(), new Dictionary<string, string>(), CancellationToken.None));

        Assert.False(await blob.ExistsAsync());
    }

    [Fact]
    public async Task The_writer_never_overwrites_an_existing_blob()
    {
        var container = new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("c"));
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlockBlobClient("x.wav");
        var writer = new RecordingBlobWriter(new RecordingSettings { BlockSize = 100, BlocksInFlight = 3 });
        var first = new byte[1050];
        Random.Shared.NextBytes(first);

        var created = await writer.WriteAsync(blob, new MemoryStream(first), new ExpectedSize(1050, 1050), new BlobHttpHeaders { ContentType = "audio/wav" }, new Dictionary<string, string>(), CancellationToken.None);
        var again = await writer.WriteAsync(blob, new MemoryStream(new byte[1050]), new ExpectedSize(1050, 0), new BlobHttpHeaders(), new Dictionary<string, string>(), CancellationToken.None);

        Assert.True(created.Created);
        Assert.Equal(RecordingHarness.Sha256(new MemoryStream(first)), created.Sha256);
        Assert.False(again.Created);
        Assert.Equal(first, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(11, (await blob.GetBlockListAsync()).Value.CommittedBlocks.Count());
    }

    [Fact]
    public async Task The_queue_function_passes_the_message_and_dequeue_count_to_the_service()
    {
        await using var h = await RecordingHarness.StartAsync(azurite, seed: 110, calls: 6);
        var received = (await h.ReceiveAllAsync())[0];
        var message = QueuesModelFactory.QueueMessage(received.MessageId, received.PopReceipt, received.Body, dequeueCount: 1);

        await new ArchiveRecording(h.Archiver).Run(message, CancellationToken.None);

        var id = RecordingMessageReader.Parse(received.Body.ToString()).RecordingId;
        Assert.Equal(RecordingStatus.Archived, (await h.RowAsync(id)).GetString("Status"));
        await Assert.ThrowsAsync<FormatException>(() => new ArchiveRecording(h.Archiver).Run(
            QueuesModelFactory.QueueMessage("m", "p", BinaryData.FromString("{}"), 1), CancellationToken.None));
    }

    [Fact]
    public void Functions_metadata_has_the_queue_trigger_with_the_queue_setting()
    {
        var functions = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray();
        var function = functions.Single(f => f!["name"]!.GetValue<string>() == nameof(ArchiveRecording))!;
        var binding = function["bindings"]!.AsArray().Single()!;
        Assert.Equal("queueTrigger", binding["type"]!.GetValue<string>());
        Assert.Equal("%RECORDINGS_QUEUE%", binding["queueName"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", binding["connection"]!.GetValue<string>());
    }

    [Fact]
    public void Host_json_bounds_concurrency_and_retries_for_large_recordings()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "PortSipFunctions.sln")))
        {
            dir = dir.Parent;
        }

        var queues = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, "host.json")))!["extensions"]!["queues"]!;
        Assert.Equal(5, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal(new RecordingSettings().MaxDequeueCount, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.True(queues["batchSize"]!.GetValue<int>() + queues["newBatchThreshold"]!.GetValue<int>() <= 8);
        Assert.Equal("base64", queues["messageEncoding"]!.GetValue<string>());
    }
}
