using System.Net;
using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorFilterTests
{
    private static readonly DateTimeOffset Noon = new(2024, 8, 20, 12, 0, 0, TimeSpan.Zero);

    private static FilterSubject Call(string caller, string callee, int minutesAfterNoon = 0) =>
        new(caller, callee, Noon.AddMinutes(minutesAfterNoon), Noon.AddMinutes(minutesAfterNoon + 1));

    [Fact]
    public void And_binds_tighter_than_or_and_parentheses_override_it()
    {
        FilterExpression loose = FilterParser.Parse("caller eq '1' or caller eq '2' and callee eq '3'");
        FilterExpression grouped = FilterParser.Parse("(caller eq '1' or caller eq '2') and callee eq '3'");

        Assert.True(loose.Matches(Call("1", "9")));
        Assert.False(grouped.Matches(Call("1", "9")));
        Assert.True(loose.Matches(Call("2", "3")));
        Assert.True(grouped.Matches(Call("2", "3")));
        Assert.False(loose.Matches(Call("2", "9")));
    }

    [Theory]
    [InlineData("started_at ge '2024-08-20T12:00:00Z' and started_at lt '2024-08-20T12:05:00Z'", 4, true)]
    [InlineData("started_at ge '2024-08-20T12:00:00Z' and started_at lt '2024-08-20T12:05:00Z'", 5, false)]
    [InlineData("started_at gt '2024-08-20T12:00:00.000000Z'", 0, false)]
    [InlineData("started_at le '2024-08-20T12:00:00Z'", 0, true)]
    [InlineData("started_at eq '2024-08-20T12:00:00.0000000001Z'", 0, true)]
    [InlineData("started_at ne '2024-08-20T12:00:00.5Z'", 0, true)]
    [InlineData("ended_at gt '2024-08-20T12:00:59.999999Z'", 0, true)]
    [InlineData("ended_at lt '2024-08-20T14:01:00+02:00'", 0, false)]
    [InlineData("((started_at ge '2024-08-20T11:00:00Z'))", 0, true)]
    public void Time_comparisons_accept_rfc3339_literals_with_any_fraction_digits(string filter, int minutes, bool expected) =>
        Assert.Equal(expected, FilterParser.Parse(filter).Matches(Call("101", "102", minutes)));

    [Fact]
    public void Doubled_quotes_escape_a_quote_and_ne_negates()
    {
        Assert.True(FilterParser.Parse("caller eq 'O''Brien'").Matches(Call("O'Brien", "x")));
        Assert.False(FilterParser.Parse("caller ne 'O''Brien'").Matches(Call("O'Brien", "x")));
        Assert.True(FilterParser.Parse("callee eq ''").Matches(Call("a", "")));
    }

    [Theory]
    [InlineData("started_at")]
    [InlineData("started_at ge")]
    [InlineData("started_at ge 2024-08-20T12:00:00Z")]
    [InlineData("started_at ge 'yesterday'")]
    [InlineData("started_at ge '2024-08-20 12:00:00'")]
    [InlineData("started_at ge '2024-08-20T12:00:00'")]
    [InlineData("started_at gte '2024-08-20T12:00:00Z'")]
    [InlineData("duration gt '5'")]
    [InlineData("caller gt '101'")]
    [InlineData("caller eq '101' and")]
    [InlineData("caller eq '101' xor callee eq '102'")]
    [InlineData("(caller eq '101'")]
    [InlineData("caller eq '101')")]
    [InlineData("caller eq 'unterminated")]
    [InlineData("CALLER EQ '101'")]
    [InlineData("startswith(caller,'1')")]
    public void Filters_it_cannot_parse_are_rejected(string filter) =>
        Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(filter));

    [Fact]
    public async Task A_time_window_filter_over_http_returns_exactly_the_matching_cdrs()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        DateTimeOffset from = new(2024, 8, 14, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset to = new(2024, 8, 15, 6, 30, 0, TimeSpan.Zero);
        string filter = Uri.EscapeDataString($"started_at ge '{from:yyyy-MM-ddTHH:mm:ss}Z' and started_at lt '{to:yyyy-MM-ddTHH:mm:ss.fff}Z'");

        List<JsonObject> items = await s.ReadAllAsync($"api/cdrs?filter={filter}", token);

        string[] expected = [.. s.Pbx.VisibleCdrs().Where(c => c.StartedAt >= from && c.StartedAt < to).Select(c => c.Id)];
        Assert.NotEmpty(expected);
        Assert.Equal(expected, items.Select(i => (string)i["id"]!));
    }

    [Fact]
    public async Task Caller_or_callee_with_parentheses_over_http_matches_the_in_memory_answer()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        string filter = Uri.EscapeDataString("(caller eq '105' or callee eq '105') and started_at lt '2024-08-16T00:00:00Z'");

        List<JsonObject> items = await s.ReadAllAsync($"api/recordings?filter={filter}", token);

        DateTimeOffset limit = new(2024, 8, 16, 0, 0, 0, TimeSpan.Zero);
        string[] expected = [.. s.Pbx.VisibleRecordings().Where(r => (r.Caller == "105" || r.Callee == "105") && r.StartedAt < limit).Select(r => r.Id)];
        Assert.NotEmpty(expected);
        Assert.Equal(expected, items.Select(i => (string)i["id"]!));
    }

    [Theory]
    [InlineData("started_at ge 'garbage'")]
    [InlineData("caller eq '101' or")]
    [InlineData("(callee eq '101'")]
    public async Task A_bad_filter_over_http_answers_400_VALIDATE_FAILED_with_a_message(string filter)
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        (HttpStatusCode status, JsonNode? body) = await s.GetAsync($"api/cdrs?filter={Uri.EscapeDataString(filter)}", token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("VALIDATE_FAILED", PbxSession.ErrorCode(body));
        Assert.Contains("filter", (string)body!["errors"]![0]!["message"]!, StringComparison.OrdinalIgnoreCase);
    }
}
