using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using PortSipArchive.Tests.Infrastructure;
using PortSipArchive.Tests.Sync;
using static PortSipArchive.Tests.Query.ArchiveData;

namespace PortSipArchive.Tests.Query;

[Collection(AzuriteCollection.Name)]
public sealed class RecordingStatsQueryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset WeekEnd = SyncHarness.WeekStart.AddDays(7);

    [Theory]
    [InlineData("")]
    [InlineData("&extension=110")]
    [InlineData("&status=archived")]
    [InlineData("&status=pending")]
    public async Task Recordings_match_the_simulator_and_never_scan(string filter)
    {
        var api = await GetAsync(azurite);
        api.Capture.Clear();
        var rows = await FollowAsync(api, $"/api/recordings?from={Q(SyncHarness.WeekStart)}&to={Q(WeekEnd)}&pageSize=50{filter}");
        var query = System.Web.HttpUtility.ParseQueryString(filter);
        var expected = api.Pbx.Data.Recordings
            .Where(r => query["extension"] is not { } e || r.Caller == e || r.Callee == e)
            .Where(r => query["status"] != "pending")
            .Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, rows.Select(r => r["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList());
        Assert.DoesNotContain("/api/blobs", string.Concat(rows.Select(r => r.ToJsonString())), StringComparison.Ordinal);
        Assert.Empty(api.Capture.UnpinnedTableRequests(api.TableHost));
    }

    [Fact]
    public async Task Recording_metadata_and_content_with_ranges()
    {
        var api = await GetAsync(azurite);
        var recording = api.Pbx.Data.Recordings.First(r => r.Size > 1000);
        var meta = JsonNode.Parse((await api.GetAsync("/api/recordings/" + recording.Id)).Body)!;
        Assert.Equal("archived", meta["status"]!.GetValue<string>());
        Assert.Equal(recording.Size, meta["size"]!.GetValue<long>());
        using var content = api.Pbx.OpenRecordingContent(recording.Id);
        var expected = new MemoryStream();
        await content.CopyToAsync(expected);
        var whole = await api.GetAsync($"/api/recordings/{recording.Id}/content");
        Assert.Equal(200, whole.Status);
        Assert.Equal(expected.ToArray(), whole.Bytes);
        Assert.Equal(recording.ContentType, whole.Headers.ContentType.ToString());
        Assert.Equal("bytes", whole.Headers.AcceptRanges.ToString());
        Assert.Equal(meta["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(whole.Bytes)));
        var part = await api.GetAsync($"/api/recordings/{recording.Id}/content", "bytes=100-199");
        Assert.Equal(206, part.Status);
        Assert.Equal(expected.ToArray()[100..200], part.Bytes);
        Assert.Equal($"bytes 100-199/{recording.Size}", part.Headers.ContentRange.ToString());
        var tail = await api.GetAsync($"/api/recordings/{recording.Id}/content", "bytes=-10");
        Assert.Equal(expected.ToArray()[^10..], tail.Bytes);
        Assert.Equal(416, (await api.GetAsync($"/api/recordings/{recording.Id}/content", $"bytes={recording.Size + 5}-")).Status);
        Assert.Equal(404, (await api.GetAsync("/api/recordings/nope/content")).Status);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("direction")]
    [InlineData("extension")]
    public async Task Daily_stats_equal_the_simulators_counts(string groupBy)
    {
        var api = await GetAsync(azurite);
        api.Capture.Clear();
        var rows = await FollowAsync(api, $"/api/stats/daily?from=2024-01-01&to=2025-01-01&groupBy={groupBy}&pageSize=100");
        Assert.Empty(api.Capture.UnpinnedTableRequests(api.TableHost));
        Assert.Equal(["main|2024"], api.Capture.QueriedPartitions(api.TableHost).Distinct());
        var cdrs = api.Pbx.Data.Cdrs;
        IEnumerable<(string Day, string? Group, int Calls, int Answered, long Talk)> expected = groupBy switch
        {
            "none" => cdrs.GroupBy(c => Day(c.StartedAt)).Select(g => (g.Key, (string?)null, g.Count(), g.Count(c => c.IsAnswered), g.Sum(c => (long)c.Duration))),
            "direction" => cdrs.GroupBy(c => (Day(c.StartedAt), c.Direction)).Select(g => (g.Key.Item1, (string?)g.Key.Direction, g.Count(), g.Count(c => c.IsAnswered), g.Sum(c => (long)c.Duration))),
            _ => cdrs.SelectMany(c => Archive.DailyStatsWriter.InternalParties(c.Direction, c.Caller, c.Callee).Select(e => (c, e)))
                .GroupBy(x => (Day(x.c.StartedAt), x.e)).Select(g => (g.Key.Item1, (string?)g.Key.e, g.Count(), g.Count(x => x.c.IsAnswered), g.Sum(x => (long)x.c.Duration))),
        };
        var actual = rows.Select(r => (r["day"]!.GetValue<string>(), r["group"]?.GetValue<string>(), r["calls"]!.GetValue<int>(), r["answered"]!.GetValue<int>(), r["talkSeconds"]!.GetValue<long>()));
        Assert.Equal(expected.Order().ToList(), actual.Order().ToList());
    }

    [Fact]
    public async Task Status_reports_the_last_run_and_counts()
    {
        var api = await GetAsync(azurite);
        var status = JsonNode.Parse((await api.GetAsync("/api/status")).Body)!["sources"]!.AsArray().Single()!;
        Assert.Equal("main", status["source"]!.GetValue<string>());
        Assert.Equal("Success", status["lastRunOutcome"]!.GetValue<string>());
        Assert.Equal(api.Pbx.Data.Cdrs.Count, status["cdrsInArchive"]!.GetValue<long>());
        Assert.Equal(0, status["recordings"]!["pending"]!.GetValue<long>());
        Assert.NotNull(status["watermark"]);
    }

    [Fact]
    public async Task Csv_parsed_back_equals_the_json_rows_including_hostile_display_names()
    {
        var api = await GetAsync(azurite);
        var url = $"/api/cdrs?from={Q(SyncHarness.WeekStart)}&to={Q(WeekEnd)}&pageSize=1000";
        var json = await FollowAsync(api, url);
        var csvRows = new List<Dictionary<string, string>>();
        for (var next = url + "&format=csv"; next is not null;)
        {
            var response = await api.GetAsync(next);
            Assert.StartsWith("text/csv", response.Headers.ContentType.ToString(), StringComparison.Ordinal);
            using var reader = CsvReader.FromText(response.Body);
            while (await reader.ReadAsync())
            {
                csvRows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => reader.GetString(x.i)));
            }

            next = response.Headers.Link.ToString() is { Length: > 0 } link ? ApiHarness.Relative(link[1..link.IndexOf('>', StringComparison.Ordinal)]) : null;
        }

        Assert.Contains(json, r => r["callerDisplayName"]!.GetValue<string>().Contains('\n', StringComparison.Ordinal) || r["calleeDisplayName"]!.GetValue<string>().Contains('\n', StringComparison.Ordinal));
        Assert.Equal(json.Count, csvRows.Count);
        for (var i = 0; i < json.Count; i++)
        {
            foreach (var (name, value) in json[i])
            {
                var text = value switch
                {
                    null => string.Empty,
                    JsonArray array => string.Join(';', array.Select(x => x!.GetValue<string>())),
                    _ when value.GetValueKind() == System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
                    _ => value.ToJsonString(),
                };
                Assert.Equal(text, csvRows[i][name]);
            }
        }
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
