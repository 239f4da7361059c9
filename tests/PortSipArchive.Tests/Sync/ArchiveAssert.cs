using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PortSip.Simulator;
using PortSipArchive.Archive;

namespace PortSipArchive.Tests.Sync;

/// <summary>Compares the archive with the simulated PBX's data.</summary>
internal static class ArchiveAssert
{
    public static async Task<List<TableEntity>> RowsAsync(TableClient table, string source)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Source eq {source}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Same ids, every field's value equal to the simulator's JSON text, no duplicates; the extension index consistent.</summary>
    public static async Task CdrsEqualAsync(ArchiveTables tables, string source, IReadOnlyCollection<SimCdr> expected)
    {
        var rows = await RowsAsync(tables.Cdrs, source);
        var ids = rows.Select(r => r.GetString("CdrId")).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Select(c => c.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        var byId = rows.ToDictionary(r => r.GetString("CdrId"), StringComparer.Ordinal);
        foreach (var cdr in expected)
        {
            var row = byId[cdr.Id];
            foreach (var (name, node) in cdr.ToListJson())
            {
                var text = node!.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                Assert.True(text == row.GetString(name), $"CDR {cdr.Id} field {name}: expected '{text}', archived '{row.GetString(name)}'");
            }

            Assert.Equal(cdr.StartedAt, row.GetDateTimeOffset("StartedAt"));
            Assert.Equal(cdr.Duration, row.GetInt32("Duration"));
            Assert.Equal(ArchiveKeys.DayPartition(source, cdr.StartedAt), row.PartitionKey);
        }

        var index = await RowsAsync(tables.CdrsByExtension, source);
        var expectedIndex = expected
            .SelectMany(c => new[] { c.Caller, c.Callee }.Where(e => e.Length > 0).Distinct().Select(e => $"{ArchiveKeys.ExtensionPartition(source, e, c.StartedAt)}/{c.Id}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expectedIndex, index.Select(r => $"{r.PartitionKey}/{r.GetString("CdrId")}").Order(StringComparer.Ordinal));
        foreach (var copy in index)
        {
            Assert.Equal(ArchiveKeys.ExtensionRow(copy.GetString("Extension"), byId[copy.GetString("CdrId")].RowKey), copy.RowKey);
        }
    }

    /// <summary>Every visible recording has one Pending row (written after its message) and an entry in the Pending status index.</summary>
    public static async Task RecordingsRegisteredAsync(ArchiveTables tables, string source, IReadOnlyCollection<SimRecording> expected)
    {
        var rows = await RowsAsync(tables.Recordings, source);
        Assert.Equal(expected.Select(r => r.Id).Order(StringComparer.Ordinal), rows.Select(r => r.GetString("RecordingId")).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(RecordingStatus.Pending, r.GetString("Status")));
        var pendingPartition = PortSipArchive.Recordings.RecordingStatusIndex.Partition(source, RecordingStatus.Pending);
        var index = new List<string>();
        await foreach (var entry in tables.RecordingStatus.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pendingPartition}")))
        {
            index.Add(entry.RowKey);
        }

        Assert.Equal(rows.Select(r => r.PartitionKey + ArchiveKeys.Separator + r.RowKey).Order(StringComparer.Ordinal), index.Order(StringComparer.Ordinal));
    }

    public static async Task<List<JsonObject>> QueueMessagesAsync(ArchiveTables tables)
    {
        var messages = new List<JsonObject>();
        foreach (var message in (await tables.RecordingsQueue.PeekMessagesAsync(32)).Value)
        {
            messages.Add(JsonNode.Parse(message.Body.ToString())!.AsObject());
        }

        return messages;
    }

    public static async Task<int> QueueLengthAsync(ArchiveTables tables) =>
        (await tables.RecordingsQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
}
