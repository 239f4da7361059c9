using System.Text.Json.Nodes;
using PortSipArchive.Configuration;
using PortSipArchive.PortSip;

namespace PortSipArchive.Tests.PortSip;

public sealed class PortSipListTests
{
    [Fact]
    public async Task Pages_through_more_than_1000_cdrs_with_count_and_every_field_kept()
    {
        await using var h = await PbxHarness.StartAsync(calls: 1234, seed: 11);

        var cdrs = await h.AllCdrsAsync();

        var expected = h.Pbx.VisibleCdrs();
        Assert.True(expected.Count > 1000);
        Assert.Equal(expected.Select(c => c.Id).Order(), cdrs.Select(c => c.Id).Order());
        Assert.Equal(cdrs.Count, cdrs.Select(c => c.Id).Distinct().Count());
        Assert.True(h.RequestsTo("/api/cdrs?") >= (expected.Count + 99) / 100);
        Assert.All(h.Pbx.Requests.Log().Where(r => r.PathAndQuery.StartsWith("/api/cdrs?", StringComparison.Ordinal)), r =>
        {
            Assert.Contains("top=100", r.PathAndQuery, StringComparison.Ordinal);
            Assert.Contains("count=true", r.PathAndQuery, StringComparison.Ordinal);
            Assert.Contains("orderby=started_at%20asc", r.PathAndQuery, StringComparison.Ordinal);
        });

        var byId = cdrs.ToDictionary(c => c.Id);
        foreach (var sim in expected)
        {
            var json = sim.ToListJson();
            var got = byId[sim.Id];
            foreach (var (name, node) in json)
            {
                var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
                Assert.Equal(text, got.Fields[name]);
            }

            Assert.Equal(sim.StartedAt, got.StartedAt);
            Assert.Equal(sim.EndedAt, got.EndedAt);
            Assert.Equal(sim.AnsweredAt, got.AnsweredAt);
            Assert.Equal(sim.Duration, got.Duration);
        }
    }

    [Fact]
    public async Task Window_filter_returns_only_calls_started_inside_it()
    {
        await using var h = await PbxHarness.StartAsync(calls: 400);
        var from = PbxHarness.WeekStart.AddDays(2).AddHours(3);
        var to = from.AddHours(30);

        var cdrs = await h.AllCdrsAsync(from, to);

        var expected = h.Pbx.VisibleCdrs().Where(c => c.StartedAt >= from && c.StartedAt < to).Select(c => c.Id).Order();
        Assert.Equal(expected, cdrs.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Get_refused_with_405_falls_back_to_post()
    {
        await using var h = await PbxHarness.StartAsync(calls: 250);
        h.Pbx.Faults.RefuseGet = true;

        var cdrs = await h.AllCdrsAsync();

        Assert.Equal(h.Pbx.VisibleCdrs().Count, cdrs.Count);
        Assert.Equal(ListMethod.Post, h.Client.EffectiveListMethod);
        Assert.Equal(1, h.Pbx.Requests.CountStatus(405));
        Assert.True(h.Pbx.Requests.Count("cdrs", "POST") >= 3);
    }

    [Fact]
    public async Task Post_is_used_from_the_start_when_configured()
    {
        await using var h = await PbxHarness.StartAsync(calls: 50, settings: s => s["PortSip:ListMethod"] = "Post");

        await h.AllCdrsAsync();

        Assert.Equal(0, h.Pbx.Requests.Count("cdrs", "GET"));
        Assert.True(h.Pbx.Requests.Count("cdrs", "POST") >= 1);
    }

    [Fact]
    public async Task Retries_429_honouring_retry_after()
    {
        await using var h = await PbxHarness.StartAsync(calls: 150);
        h.Pbx.Faults.Throttle(2, "cdrs", TimeSpan.FromSeconds(1));
        var started = TimeProvider.System.GetTimestamp();

        var cdrs = await h.AllCdrsAsync();

        Assert.Equal(h.Pbx.VisibleCdrs().Count, cdrs.Count);
        Assert.Equal(2, h.Pbx.Requests.CountStatus(429));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.9), "Retry-After: 1 was not honoured twice");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Retries_bursts_of_server_errors(int status)
    {
        await using var h = await PbxHarness.StartAsync(calls: 150);
        h.Pbx.Faults.ServerErrors(3, status);

        var cdrs = await h.AllCdrsAsync();

        Assert.Equal(h.Pbx.VisibleCdrs().Count, cdrs.Count);
        Assert.Equal(3, h.Pbx.Requests.CountStatus(status));
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries_with_the_status_in_the_error()
    {
        await using var h = await PbxHarness.StartAsync(calls: 20, settings: s => s["PortSip:MaxRetries"] = "2");
        h.Pbx.Faults.ServerErrors(50, 503, "cdrs");

        var ex = await Assert.ThrowsAsync<PortSipApiException>(() => h.AllCdrsAsync());

        Assert.Contains("503", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Pbx.Requests.CountStatus(503));
    }

    [Fact]
    public async Task A_connection_dropped_mid_body_is_retried()
    {
        await using var h = await PbxHarness.StartAsync(calls: 150);
        h.Pbx.Faults.DropConnection(1, "list");

        var ex = await Record.ExceptionAsync(() => h.AllCdrsAsync());

        // A drop after the headers cannot be retried by the HTTP pipeline; the error must surface, never a short list.
        if (ex is null)
        {
            Assert.Equal(h.Pbx.VisibleCdrs().Count, (await h.AllCdrsAsync()).Count);
        }
        else
        {
            Assert.True(ex is HttpRequestException or IOException or PortSipApiException, ex.ToString());
            Assert.Equal(h.Pbx.VisibleCdrs().Count, (await h.AllCdrsAsync()).Count);
        }
    }

    [Fact]
    public async Task Malformed_response_body_raises_a_clear_error()
    {
        await using var h = await PbxHarness.StartAsync(calls: 30);
        h.Pbx.Faults.MalformedResponse(1);

        var ex = await Assert.ThrowsAsync<PortSipApiException>(() => h.AllCdrsAsync());

        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_item_is_reported_with_its_id_field_and_raw_json_and_the_rest_still_arrive()
    {
        await using var h = await PbxHarness.StartAsync(calls: 200);
        var bad = h.Pbx.VisibleCdrs()[17];
        h.Pbx.Faults.MalformedCdrIds.Add(bad.Id);

        var items = new List<ParsedItem<PortSipCdr>>();
        await foreach (var item in h.Client.ListCdrsAsync(PbxHarness.WeekStart, PbxHarness.WeekStart.AddDays(7), CancellationToken.None))
        {
            items.Add(item);
        }

        var invalid = Assert.Single(items, i => !i.IsValid);
        Assert.Equal(bad.Id, invalid.Id);
        Assert.Equal(bad.Id, invalid.Error!.ItemId);
        Assert.Contains(bad.Id, invalid.Error.Message, StringComparison.Ordinal);
        Assert.Equal(h.Pbx.Faults.MalformedCdrField, invalid.Error.Field);
        Assert.Contains(bad.Id, invalid.Error.RawJson, StringComparison.Ordinal);
        var thrown = Assert.Throws<PortSipDataException>(() => invalid.Value);
        Assert.Same(invalid.Error, thrown);
        Assert.Equal(h.Pbx.VisibleCdrs().Count, items.Count);
        Assert.Contains(h.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(bad.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recordings_list_and_detail_carry_what_the_archiver_needs()
    {
        await using var h = await PbxHarness.StartAsync(calls: 200);

        var list = new List<PortSipRecordingSummary>();
        await foreach (var item in h.Client.ListRecordingsAsync(PbxHarness.WeekStart, PbxHarness.WeekStart.AddDays(7), CancellationToken.None))
        {
            list.Add(item.Value);
        }

        var expected = h.Pbx.VisibleRecordings();
        Assert.Equal(expected.Select(r => r.Id).Order(), list.Select(r => r.Id).Order());
        var sim = expected.First(r => r.ReportedFileSize > 0);
        var detail = await h.Client.GetRecordingDetailAsync(sim.Id, CancellationToken.None);
        Assert.NotNull(detail);
        Assert.Equal(sim.FileName, detail.FileName);
        Assert.Equal(sim.ReportedFileSize, detail.FileSize);
        Assert.Equal(sim.CdrId, detail.CdrIdFromFileName);
        Assert.Null(await h.Client.GetRecordingDetailAsync("999999999999999999", CancellationToken.None));
    }
}
