using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using PortSipArchive.Storage;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Sync;

/// <summary>
/// The sync writes a recording's Pending row after its queue message, insert-only, so the archiver may get the message
/// and write the row first. These tests put the archiver's row in place before the sync's insert.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordingRowRaceTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Insert_only_writes_the_new_rows_and_returns_the_existing_ones_unchanged()
    {
        var tables = await TablesAsync();
        var writer = new TableBatchWriter(parallelism: 4);
        var rows = Enumerable.Range(0, 250).Select(i => new TableEntity("p", i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)) { ["V"] = "sync" }).ToList();
        foreach (var taken in new[] { 0, 99, 100, 180, 249 })
        {
            await tables.Recordings.AddEntityAsync(new TableEntity("p", rows[taken].RowKey) { ["V"] = "archiver" });
        }

        var existed = await writer.InsertNewAsync(rows.Select(r => new TableWrite(tables.Recordings, r)), CancellationToken.None);

        Assert.Equal(["0000", "0099", "0100", "0180", "0249"], existed.Select(e => e.RowKey).Order(StringComparer.Ordinal));
        var stored = new Dictionary<string, string?>();
        await foreach (var row in tables.Recordings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p"}")))
        {
            stored[row.RowKey] = row.GetString("V");
        }

        Assert.Equal(250, stored.Count);
        Assert.Equal(5, stored.Values.Count(v => v == "archiver"));
        Assert.Equal(245, stored.Values.Count(v => v == "sync"));
    }

    [Fact]
    public async Task A_row_the_archiver_finished_keeps_its_status_and_gets_the_sync_columns()
    {
        var tables = await TablesAsync();
        var recording = Recording("7001");
        var message = RecordingQueueWriter.Message("main", recording);
        await tables.Recordings.AddEntityAsync(new TableEntity(message.PartitionKey, message.RowKey) { ["Status"] = RecordingStatus.Archived, ["BlobName"] = "b" });

        var row = await RegisterOverAsync(tables, recording);

        Assert.Equal(RecordingStatus.Archived, row.GetString("Status"));
        Assert.Equal("b", row.GetString("BlobName"));
        Assert.Equal("101", row.GetString("Caller"));
        Assert.Equal("7001", row.GetString("RecordingId"));
        Assert.Equal(Start, row.GetDateTimeOffset("StartedAt"));
    }

    [Fact]
    public async Task A_row_with_only_a_failed_attempt_becomes_pending()
    {
        var tables = await TablesAsync();
        var recording = Recording("7002");
        var message = RecordingQueueWriter.Message("main", recording);
        await tables.Recordings.AddEntityAsync(new TableEntity(message.PartitionKey, message.RowKey) { ["Attempts"] = 1L, ["LastError"] = "PBX 503" });

        var row = await RegisterOverAsync(tables, recording);

        Assert.Equal(RecordingStatus.Pending, row.GetString("Status"));
        Assert.Equal(1L, row.GetInt64("Attempts"));
        Assert.Equal("+4420", row.GetString("Callee"));
    }

    private static PortSipRecordingSummary Recording(string id) => new()
    {
        Id = id, Caller = "101", Callee = "+4420", StartedAt = Start, EndedAt = Start.AddMinutes(3), Fields = new Dictionary<string, string?>(),
    };

    /// <summary>What RegisterAsync does after the send: the insert-only write, then completing the rows that existed.</summary>
    private static async Task<TableEntity> RegisterOverAsync(ArchiveTables tables, PortSipRecordingSummary recording)
    {
        var writer = new TableBatchWriter();
        var queueWriter = new RecordingQueueWriter(tables, writer, TimeProvider.System, NullLogger<RecordingQueueWriter>.Instance);
        var pending = RecordingQueueWriter.NewRows(tables, "main", recording).Where(w => w.Table.Name == tables.Recordings.Name);
        var existed = await writer.InsertNewAsync(pending, CancellationToken.None);
        var row = Assert.Single(existed);
        await queueWriter.CompleteRowAsync(row, CancellationToken.None);
        var message = RecordingQueueWriter.Message("main", recording);
        return (await tables.Recordings.GetEntityAsync<TableEntity>(message.PartitionKey, message.RowKey)).Value;
    }

    private async Task<ArchiveTables> TablesAsync()
    {
        var tables = new ArchiveTables(StorageConnection.FromConnectionString(azurite.ConnectionString), new ArchiveSettings { TablePrefix = AzuriteFixture.UniqueName("r") });
        await tables.EnsureCreatedAsync(CancellationToken.None);
        return tables;
    }
}
