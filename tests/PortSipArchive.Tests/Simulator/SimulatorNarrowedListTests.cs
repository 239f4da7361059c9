using System.Globalization;
using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

/// <summary>
/// The list endpoints narrow started_at windows by binary search and skip sorting when the data is already
/// in the requested order. These tests page through random windows over HTTP and compare every page and
/// count with a plain full scan: every visible item through the parsed filter, then <see cref="ListQuery.Sort"/>.
/// </summary>
public class SimulatorNarrowedListTests
{
    private static readonly string?[] OrderBys =
        [null, "started_at asc", "started_at desc", "caller asc", "id desc", "started_at asc,id desc", "started_at desc,started_at asc,id desc", "ended_at desc"];

    private static readonly int[] Tops = [1, 7, 50, 100];

    [Fact]
    public async Task Random_started_at_windows_page_exactly_like_a_full_scan()
    {
        await using PbxSession s = await PbxSession.StartAsync(fakeClock: true, calls: 1500);
        DateTimeOffset tie = s.Pbx.Data.Cdrs[700].StartedAt;
        AddTiesAndHiddenCdrs(s, tie);
        var random = new Random(20240820);
        var cdrTimes = s.Pbx.Data.Cdrs.Select(c => c.StartedAt).ToArray();
        var recordingTimes = s.Pbx.Data.Recordings.Select(r => r.StartedAt).ToArray();

        // Fixed edge windows (exact started_at values, including the tie) plus random ones.
        var windows = new List<(DateTimeOffset From, DateTimeOffset To)>
        {
            (tie, tie),
            (tie, tie.AddMinutes(30)),
            (cdrTimes[0], cdrTimes[^1]),
            (cdrTimes[0].AddDays(-1), cdrTimes[^1].AddDays(1)),
            (recordingTimes[100], recordingTimes[400]),
        };
        for (int i = 0; i < 4; i++)
        {
            DateTimeOffset a = Pick(random, i % 2 == 0 ? cdrTimes : recordingTimes);
            DateTimeOffset b = Pick(random, cdrTimes).AddMilliseconds(random.Next(-5000, 5000));
            windows.Add(a <= b ? (a, b) : (b, a));
        }

        var tokens = new Dictionary<string, string>
        {
            ["admin"] = await s.SignInAsync("admin", "admin-secret"),
            ["user101"] = await s.SignInAsync("user101", "user-secret"),
        };
        int compared = 0;
        foreach ((DateTimeOffset from, DateTimeOffset to) in windows)
        {
            foreach (string? filter in Filters(Literal(random, from), Literal(random, to)))
            {
                foreach ((string account, string token) in tokens)
                {
                    string? orderBy = OrderBys[random.Next(OrderBys.Length)];
                    int top = Tops[random.Next(Tops.Length)];
                    compared += await CompareAsync(s, account, token, "api/cdrs", filter, orderBy, top, random);
                    compared += await CompareAsync(s, account, token, "api/recordings", filter, orderBy, top, random);
                }
            }
        }

        Assert.True(compared > 500, $"only {compared} items compared");
    }

    [Fact]
    public async Task A_plain_window_filter_matches_a_linq_range_query_in_both_directions()
    {
        await using PbxSession s = await PbxSession.StartAsync(fakeClock: true, calls: 800);
        string token = await s.SignInAsync();
        IReadOnlyList<SimCdr> all = s.Pbx.VisibleCdrs();
        DateTimeOffset from = all[200].StartedAt;
        DateTimeOffset to = all[450].StartedAt;
        string filter = Uri.EscapeDataString(
            $"started_at ge '{PortSipTimestamp.Format(from)}' and started_at lt '{to.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)}'");

        List<JsonObject> ascending = await s.ReadAllAsync($"api/cdrs?filter={filter}&orderby=started_at%20asc", token, top: 100);
        List<JsonObject> descending = await s.ReadAllAsync($"api/cdrs?filter={filter}&orderby=started_at%20desc", token, top: 33);

        string[] expected = [.. all.Where(c => c.StartedAt >= from && c.StartedAt < to).Select(c => c.Id)];
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ascending.Select(i => (string)i["id"]!));
        Assert.Equal(Enumerable.Reverse(expected), descending.Select(i => (string)i["id"]!));
        Assert.True(JsonNode.DeepEquals(all[200].ToListJson(), ascending[0]));
    }

    private static IEnumerable<string?> Filters(string from, string to) =>
    [
        null,
        $"started_at ge '{from}' and started_at lt '{to}'",
        $"started_at gt '{from}' and started_at le '{to}'",
        $"started_at ge '{from}'",
        $"started_at le '{to}'",
        $"started_at eq '{from}'",
        $"started_at lt '{from}' or started_at ge '{to}'",
        $"(caller eq '101' or callee eq '101') and (started_at ge '{from}' and started_at lt '{to}')",
        $"started_at ge '{to}' and started_at lt '{from}'",
        $"started_at ne '{from}' and started_at le '{to}' and started_at gt '{from}'",
        $"ended_at ge '{from}' and started_at lt '{to}'",
        $"(started_at ge '{from}' or caller eq '102') and started_at le '{to}'",
    ];

    /// <summary>Compares count and a sequence of pages (all of them, or a sample for long lists) with a full scan.</summary>
    private static async Task<int> CompareAsync(PbxSession s, string username, string token, string path, string? filter, string? orderBy, int top, Random random)
    {
        SimAccount account = s.Pbx.Accounts.Single(a => a.Username == username);
        string[] expected = FullScan(s, account, path, filter, orderBy);

        int pages = (expected.Length + top - 1) / top;
        var skips = new SortedSet<int> { 0, expected.Length, expected.Length + 3 };
        if (pages <= 5)
        {
            skips.UnionWith(Enumerable.Range(0, pages).Select(p => p * top));
        }
        else
        {
            skips.UnionWith([top, random.Next(2, pages) * top, (pages - 1) * top, random.Next(expected.Length)]);
        }

        string query = (filter is null ? "" : $"filter={Uri.EscapeDataString(filter)}&")
            + (orderBy is null ? "" : $"orderby={Uri.EscapeDataString(orderBy)}&");
        var seen = new List<string>();
        foreach (int skip in skips)
        {
            JsonObject page = await s.GetOkAsync($"{path}?{query}top={top}&skip={skip}&count=true", token);
            string what = $"{username} {path} filter={filter} orderby={orderBy} top={top} skip={skip}";
            Assert.True(expected.Length == (int)page["count"]!, $"count for {what}: {(int)page["count"]!}, expected {expected.Length}");
            string[] ids = [.. page["items"]!.AsArray().Select(i => (string)i!["id"]!)];
            Assert.True(expected.Skip(skip).Take(top).SequenceEqual(ids), $"page for {what}");
            seen.AddRange(ids);
        }

        return seen.Count;
    }

    private static string[] FullScan(PbxSession s, SimAccount account, string path, string? filter, string? orderBy)
    {
        FilterExpression parsed = FilterParser.Parse(filter);
        var query = new ListQuery(parsed, OrderTerms(orderBy), ListQuery.MaxTop, 0);
        return path == "api/cdrs"
            ? [.. query.Sort(s.Pbx.VisibleCdrs(account).Where(c => parsed.Matches(FilterSubject.Of(c))), FilterSubject.Of, c => c.Id).Select(c => c.Id)]
            : [.. query.Sort(s.Pbx.VisibleRecordings(account).Where(r => parsed.Matches(FilterSubject.Of(r))), FilterSubject.Of, r => r.Id).Select(r => r.Id)];
    }

    private static List<OrderTerm> OrderTerms(string? orderBy) =>
        orderBy is null
            ? []
            : [.. orderBy.Split(',').Select(t => t.Split(' ')).Select(w => new OrderTerm(w[0], w.Length == 2 && w[1] == "desc"))];

    /// <summary>An RFC 3339 literal for the instant: 'Z' with 0-6 digits, 7+ digits, or a numeric offset.</summary>
    private static string Literal(Random random, DateTimeOffset value) => random.Next(3) switch
    {
        0 => PortSipTimestamp.Format(value),
        1 => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture),
        _ => value.ToOffset(TimeSpan.FromMinutes(random.Next(-12, 14) * 60 + 30)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset Pick(Random random, DateTimeOffset[] times) => times[random.Next(times.Length)];

    /// <summary>CDRs sharing one started_at (ids of different lengths test the id tie-break) and CDRs not visible yet.</summary>
    private static void AddTiesAndHiddenCdrs(PbxSession s, DateTimeOffset tie)
    {
        string[] tieIds = ["7", "123", "99", "900000000000000000000", "1000"];
        foreach (string id in tieIds)
        {
            s.Pbx.Data.AddCdr(Cdr(id, tie, tie.AddMinutes(3), caller: id == "99" ? "101" : "130"));
        }

        s.Pbx.Data.AddCdr(Cdr("42", tie, PbxSession.FakeNow.AddMinutes(1), caller: "101"));
        s.Pbx.Data.AddCdr(Cdr("43", tie.AddSeconds(1), PbxSession.FakeNow, caller: "130"));
    }

    private static SimCdr Cdr(string id, DateTimeOffset startedAt, DateTimeOffset endedAt, string caller) => new()
    {
        Id = id,
        Caller = caller,
        Callee = "131",
        StartedAt = startedAt,
        AnsweredAt = startedAt.AddSeconds(2),
        EndedAt = endedAt,
        Duration = (int)(endedAt - startedAt).TotalSeconds,
    };
}
