using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorListTests
{
    [Theory]
    [InlineData("api/cdrs?top=101")]
    [InlineData("api/cdrs?top=0")]
    [InlineData("api/cdrs?top=abc")]
    [InlineData("api/cdrs?skip=-1")]
    [InlineData("api/cdrs?count=maybe")]
    [InlineData("api/cdrs?orderby=duration%20asc")]
    [InlineData("api/cdrs?orderby=started_at%20up")]
    [InlineData("api/recordings?top=500")]
    [InlineData("api/recordings?$top=101")]
    public async Task Invalid_query_options_answer_400_VALIDATE_FAILED(string path)
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        (HttpStatusCode status, JsonNode? body) = await s.GetAsync(path, token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("VALIDATE_FAILED", PbxSession.ErrorCode(body));
        Assert.False(string.IsNullOrEmpty((string?)body!["errors"]![0]!["message"]));
    }

    [Fact]
    public async Task Paging_with_top_and_skip_returns_every_visible_cdr_once_in_default_order_with_exact_fields()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        List<JsonObject> items = await s.ReadAllAsync("api/cdrs", token, top: 37);

        IReadOnlyList<SimCdr> expected = s.Pbx.VisibleCdrs();
        Assert.Equal(s.Pbx.Data.Cdrs.Count, expected.Count);
        Assert.Equal(expected.Count, items.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i].ToListJson(), items[i]), $"item {i}: {items[i].ToJsonString()}");
        }
    }

    [Fact]
    public async Task Count_is_the_total_of_matches_and_skip_is_a_zero_based_offset()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        IReadOnlyList<SimCdr> all = s.Pbx.VisibleCdrs();

        JsonObject page = await s.GetOkAsync("api/cdrs?top=5&skip=10&count=true", token);

        Assert.Equal(all.Count, (int)page["count"]!);
        Assert.Equal(all.Skip(10).Take(5).Select(c => c.Id), page["items"]!.AsArray().Select(i => (string)i!["id"]!));
        JsonObject beyond = await s.GetOkAsync($"api/cdrs?top=5&skip={all.Count}", token);
        Assert.Empty(beyond["items"]!.AsArray());
        Assert.Equal(all.Count, (int)beyond["count"]!);
    }

    [Fact]
    public async Task Orderby_started_at_desc_reverses_the_default_order()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        List<JsonObject> ascending = await s.ReadAllAsync("api/cdrs?orderby=started_at%20asc", token);
        List<JsonObject> descending = await s.ReadAllAsync("api/cdrs?orderby=started_at%20desc", token);

        Assert.Equal(ascending.Select(i => (string)i["id"]!).Reverse(), descending.Select(i => (string)i["id"]!));
    }

    [Fact]
    public async Task Post_with_query_options_in_the_url_answers_like_get()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        JsonObject viaGet = await s.GetOkAsync("api/recordings?top=7&skip=3", token);

        (HttpStatusCode status, JsonNode? viaPost) = await s.SendAsync(HttpMethod.Post, "api/recordings?top=7&skip=3", token, PbxSession.Json(new JsonObject()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(viaGet, viaPost));
    }

    [Fact]
    public async Task Recording_list_items_carry_exactly_the_documented_fields()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        List<JsonObject> items = await s.ReadAllAsync("api/recordings", token);

        Assert.Equal(s.Pbx.VisibleRecordings().Count, items.Count);
        Assert.All(items, i => Assert.Equal(["id", "caller", "callee", "started_at", "ended_at"], i.Select(p => p.Key)));
        Assert.Equal(s.Pbx.VisibleRecordings().Select(r => r.Id), items.Select(i => (string)i["id"]!));
    }

    [Fact]
    public async Task Cdr_detail_wraps_one_item_and_adds_cost_and_billed_account()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        SimCdr cdr = s.Pbx.Data.Cdrs.First(c => c.Direction == "OUTBOUND_CALL" && c.IsAnswered);

        JsonObject detail = await s.GetOkAsync($"api/cdrs/{cdr.Id}", token);

        JsonObject item = Assert.Single(detail["items"]!.AsArray())!.AsObject();
        Assert.True(JsonNode.DeepEquals(cdr.ToDetailJson(), item));
        Assert.Equal(cdr.Caller, (string)item["billed_account"]!);
        Assert.True((double)item["cost"]! > 0 || cdr.Duration < 5);
        Assert.False(cdr.ToListJson().ContainsKey("cost"));
    }

    [Theory]
    [InlineData("api/cdrs/123")]
    [InlineData("api/recordings/123")]
    [InlineData("api/no/such/thing")]
    public async Task Unknown_ids_answer_404_with_an_errors_body(string path)
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        (HttpStatusCode status, JsonNode? body) = await s.GetAsync(path, token);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotEmpty(PbxSession.ErrorCode(body));
    }

    [Fact]
    public async Task A_list_of_twelve_thousand_cdrs_answers_a_filtered_page_quickly()
    {
        await using PbxSession s = await PbxSession.StartAsync(calls: 12_000);
        string token = await s.SignInAsync();
        await s.GetOkAsync("api/cdrs?top=1", token);

        var watch = Stopwatch.StartNew();
        JsonObject page = await s.GetOkAsync("api/cdrs?top=100&skip=5000&orderby=started_at%20desc&filter=started_at%20ge%20'2024-08-13T00:00:00Z'", token);
        watch.Stop();

        Assert.Equal(100, page["items"]!.AsArray().Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
