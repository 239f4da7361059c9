using System.Text.Json.Nodes;
using PortSip.Simulator;
using PortSipArchive.Tests.Infrastructure;
using PortSipArchive.Tests.Sync;
using static PortSipArchive.Tests.Query.ArchiveData;

namespace PortSipArchive.Tests.Query;

[Collection(AzuriteCollection.Name)]
public sealed class CdrQueryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset From = SyncHarness.WeekStart.AddDays(1).AddHours(6);
    private static readonly DateTimeOffset To = SyncHarness.WeekStart.AddDays(4).AddHours(3);

    public static TheoryData<string> Filters => new()
    {
        "", "&extension=101", "&caller=102", "&callee=103", "&extension=104&caller=104", "&answered=true", "&answered=false",
        "&minDuration=60", "&direction=INBOUND_CALL", "&direction=OUTBOUND_CALL&answered=true", "&extension=105&minDuration=1", "&source=main",
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_filter_returns_exactly_the_simulators_matching_cdrs_in_time_order_and_never_scans(string filter)
    {
        var api = await GetAsync(azurite);
        api.Capture.Clear();
        var rows = await FollowAsync(api, $"/api/cdrs?from={Q(From)}&to={Q(To)}&pageSize=37{filter}");
        var query = System.Web.HttpUtility.ParseQueryString(filter);
        var expected = api.Pbx.Data.Cdrs.Where(c => c.StartedAt >= From && c.StartedAt < To)
            .Where(c => query["extension"] is not { } e || c.Caller == e || c.Callee == e)
            .Where(c => query["caller"] is not { } e || c.Caller == e)
            .Where(c => query["callee"] is not { } e || c.Callee == e)
            .Where(c => query["direction"] is not { } d || c.Direction == d)
            .Where(c => query["answered"] is not { } a || c.IsAnswered == (a == "true"))
            .Where(c => query["minDuration"] is not { } m || c.Duration >= int.Parse(m, System.Globalization.CultureInfo.InvariantCulture))
            .Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        var ids = rows.Select(r => r["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected, ids.Order(StringComparer.Ordinal).ToList());
        var starts = rows.Select(r => DateTimeOffset.Parse(r["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(starts.Order().ToList(), starts);
        Assert.Empty(api.Capture.UnpinnedTableRequests(api.TableHost));
        var partitions = api.Capture.QueriedPartitions(api.TableHost);
        Assert.All(partitions, p => Assert.StartsWith("main|", p, StringComparison.Ordinal));
        Assert.True(partitions.Distinct().Count() <= ((query["extension"] ?? query["caller"] ?? query["callee"]) is null ? 4 : 1), string.Join(",", partitions.Distinct()));
    }

    [Fact]
    public async Task A_cdr_by_id_has_its_recording_ids_and_an_unknown_id_is_404()
    {
        var api = await GetAsync(azurite);
        var recording = api.Pbx.Data.Recordings.First(r => r.FileName.Contains(r.CdrId, StringComparison.Ordinal));
        var response = await api.GetAsync("/api/cdrs/" + recording.CdrId);
        Assert.Equal(200, response.Status);
        var cdr = JsonNode.Parse(response.Body)!;
        Assert.Equal(recording.CdrId, cdr["id"]!.GetValue<string>());
        Assert.Contains(recording.Id, cdr["recordingIds"]!.AsArray().Select(x => x!.GetValue<string>()));
        var missing = await api.GetAsync("/api/cdrs/999999999999");
        Assert.Equal(404, missing.Status);
        Assert.Equal("cdr_not_found", JsonNode.Parse(missing.Body)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(404, (await api.GetAsync("/api/cdrs/" + Uri.EscapeDataString("' or true or '"))).Status);
    }

    [Theory]
    [InlineData("?bogus=1", "bogus")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2024-08-14&to=2024-08-13", "from")]
    [InlineData("?from=2020-01-01&to=2024-01-01", "to")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=1001", "pageSize")]
    [InlineData("?pageSize=99999999999999999999", "pageSize")]
    [InlineData("?minDuration=-1", "minDuration")]
    [InlineData("?answered=yes", "answered")]
    [InlineData("?format=xml", "format")]
    [InlineData("?source=other", "source")]
    [InlineData("?continuation=abc", "continuation")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string query, string parameter)
    {
        var api = await GetAsync(azurite);
        var response = await api.GetAsync("/api/cdrs" + query);
        Assert.Equal(400, response.Status);
        var error = JsonNode.Parse(response.Body)!["error"]!;
        Assert.Contains($"'{parameter}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_continuation_from_another_query_or_tampered_is_400()
    {
        var api = await GetAsync(azurite);
        var first = JsonNode.Parse((await api.GetAsync($"/api/cdrs?from={Q(From)}&to={Q(To)}&pageSize=5")).Body)!;
        var next = new Uri(first["nextLink"]!.GetValue<string>());
        var token = System.Web.HttpUtility.ParseQueryString(next.Query)["continuation"]!;
        var foreign = await api.GetAsync($"/api/cdrs?from={Q(From)}&to={Q(To)}&extension=101&continuation={token}");
        Assert.Equal(400, foreign.Status);
        Assert.Equal("invalid_continuation", JsonNode.Parse(foreign.Body)!["error"]!["code"]!.GetValue<string>());
        var tampered = await api.GetAsync($"/api/cdrs?from={Q(From)}&to={Q(To)}&continuation={token[..^3]}xyz");
        Assert.Equal(400, tampered.Status);
        Assert.Contains("pageSize=5", next.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_range_is_the_last_day_and_code_is_kept_in_nextLink()
    {
        var api = await GetAsync(azurite);
        var page = JsonNode.Parse((await api.GetAsync("/api/cdrs?pageSize=2&code=secret-key")).Body)!;
        var expected = api.Pbx.Data.Cdrs.Count(c => c.StartedAt >= ApiHarness.Now.AddDays(-1) && c.StartedAt < ApiHarness.Now);
        Assert.Equal(Math.Min(2, expected), page["value"]!.AsArray().Count);
        if (expected > 2)
        {
            Assert.Contains("code=secret-key", page["nextLink"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }
}
