using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Functions;
using PortSipArchive.Tests.Infrastructure;
using PortSipArchive.Tests.Sync;
using static PortSipArchive.Tests.Query.ArchiveData;

namespace PortSipArchive.Tests.Query;

[Collection(AzuriteCollection.Name)]
public sealed class ApiContractTests(AzuriteFixture azurite)
{
    private static readonly string[] Hostile =
    [
        "' or true or '", "PartitionKey ne ''", "') or (PartitionKey ne '", "%27%20or%201%20eq%201", "main|20240813", "x' and RowKey gt '",
        "Zoë Müller", "山田太郎", "\u0001", "%00", "%ZZ", "%", "+", "a+b", "%2B1", "\\", "/", "#", "?", "|", "~", "\"", "<script>",
        new string('9', 300), new string('x', 5000), "99999999999999999999999", "-1", "1e9", "0x10", "NaN", "true", "TRUE", "",
        "2024-13-45", "2024-08-13T25:00:00Z", "0001-01-01", "9999-12-31T23:59:59Z", "2024-08-13T00:00:00+14:00", "2024-08-13%00",
        "\uD800", "%E0%A4%A", "%C0%AF", "null", "[]", "{}", "eq", "$filter=true",
    ];

    private static readonly string[] Parameters =
        ["from", "to", "extension", "caller", "callee", "direction", "answered", "minDuration", "source", "pageSize", "format", "continuation", "status", "groupBy", "$filter", "PartitionKey"];

    [Fact]
    public async Task A_thousand_hostile_query_strings_give_no_5xx_and_no_row_outside_the_filter()
    {
        var api = await GetAsync(azurite);
        var random = new Random(11);
        var from = SyncHarness.WeekStart.AddDays(2);
        var to = from.AddDays(1);
        string[] routes = ["/api/cdrs", "/api/recordings", "/api/stats/daily", "/api/status", "/api/cdrs/", "/api/recordings/"];
        api.Capture.Clear();
        for (var i = 0; i < 1200; i++)
        {
            var route = routes[random.Next(routes.Length)];
            var value = Hostile[random.Next(Hostile.Length)];
            var encoded = random.Next(3) == 0 ? value : Uri.EscapeDataString(value);
            var name = Parameters[random.Next(Parameters.Length)];
            var path = route.EndsWith('/') ? route + Uri.EscapeDataString(value.Length == 0 ? "x" : value[..Math.Min(value.Length, 300)]) : route;
            var query = $"?from={Q(from)}&to={Q(to)}&{name}={encoded}";
            ApiResponse response;
            try
            {
                response = await api.GetAsync(path + query);
            }
            catch (UriFormatException)
            {
                continue;
            }

            Assert.True(response.Status < 500, $"{path}{query}: {response.Status} {response.Body}");
            if (response.Status == 200 && route is "/api/cdrs" or "/api/recordings")
            {
                foreach (var row in JsonNode.Parse(response.Body)!["value"]!.AsArray())
                {
                    var started = DateTimeOffset.Parse(row!["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                    Assert.InRange(started, from, to.AddTicks(-1));
                    var text = new QueryString(query).HasValue ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)[name].ToString() : string.Empty;
                    if (name is "extension" or "caller" or "callee" && text.Length > 0)
                    {
                        Assert.True(row["caller"]!.GetValue<string>() == text || row["callee"]!.GetValue<string>() == text, $"{query}: {row}");
                    }
                }
            }
        }

        Assert.Empty(api.Capture.UnpinnedTableRequests(api.TableHost));
    }

    [Fact]
    public async Task The_openapi_document_parses_and_lists_every_route_with_paging()
    {
        var json = await Api.ArchiveOpenApi.JsonAsync("https://archive.example/api", CancellationToken.None);
        var result = Microsoft.OpenApi.OpenApiDocument.Parse(json, "json");
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Equal(Api.ArchiveOpenApi.Routes.Order(), result.Document!.Paths.Keys.Order());
        var node = JsonNode.Parse(json)!;
        foreach (var collection in new[] { "/cdrs", "/recordings", "/stats/daily" })
        {
            Assert.Equal("nextLink", node["paths"]![collection]!["get"]!["x-ms-pageable"]!["nextLinkName"]!.GetValue<string>());
        }

        Assert.Equal("code", node["components"]!["securitySchemes"]!["functionKeyQuery"]!["name"]!.GetValue<string>());
        Assert.Equal("x-functions-key", node["components"]!["securitySchemes"]!["functionKeyHeader"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Every_http_trigger_needs_a_function_key()
    {
        var functions = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray();
        var http = functions.SelectMany(f => f!["bindings"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "httpTrigger").Select(b => (Name: f["name"]!.GetValue<string>(), Binding: b!))).ToList();
        Assert.Equal(["DailyStats", "GetCdr", "GetRecording", "GetRecordingContent", "ListCdrs", "ListRecordings", "OpenApiDocument", "Status"], http.Select(h => h.Name).Order());
        Assert.All(http, h => Assert.Equal("Function", h.Binding["authLevel"]!.GetValue<string>()));
        Assert.DoesNotContain(functions, f => f!["name"]!.GetValue<string>() == "Ping");
    }

    [Fact]
    public async Task The_function_classes_answer_real_requests()
    {
        var api = await GetAsync(azurite);
        var cdr = api.Pbx.Data.Cdrs[10];
        var list = await Invoke(c => new ListCdrs(api.Api).Run(c.Request, CancellationToken.None), $"?from={Q(cdr.StartedAt)}&to={Q(cdr.StartedAt.AddSeconds(1))}");
        Assert.Equal(200, list.Status);
        Assert.Contains(cdr.Id, list.Body, StringComparison.Ordinal);
        Assert.Equal(200, (await Invoke(c => new GetCdr(api.Api).Run(c.Request, cdr.Id, CancellationToken.None), "")).Status);
        Assert.Equal(404, (await Invoke(c => new GetRecording(api.Api).Run(c.Request, "missing", CancellationToken.None), "")).Status);
        var recording = api.Pbx.Data.Recordings[0];
        Assert.Equal(200, (await Invoke(c => new GetRecordingContent(api.Api).Run(c.Request, recording.Id, CancellationToken.None), "")).Status);
        Assert.Equal(200, (await Invoke(c => new ListRecordings(api.Api).Run(c.Request, CancellationToken.None), "")).Status);
        Assert.Equal(200, (await Invoke(c => new DailyStats(api.Api).Run(c.Request, CancellationToken.None), "")).Status);
        Assert.Equal(200, (await Invoke(c => new Status(api.Api).Run(c.Request, CancellationToken.None), "")).Status);
        var openApi = await Invoke(c => new OpenApiDocument(api.Api).Run(c.Request, CancellationToken.None), "");
        Assert.Contains("\"openapi\": \"3.0", openApi.Body, StringComparison.Ordinal);
        Assert.Equal(400, (await Invoke(c => new ListCdrs(api.Api).Run(c.Request, CancellationToken.None), "?nope=1")).Status);
    }

    private static async Task<(int Status, string Body)> Invoke(Func<HttpContext, Task<IResult>> function, string query)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func.example");
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        using var body = new MemoryStream();
        context.Response.Body = body;
        await (await function(context)).ExecuteAsync(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
