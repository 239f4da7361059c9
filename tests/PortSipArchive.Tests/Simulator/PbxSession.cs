using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

/// <summary>A started simulator plus an HttpClient aimed at it; the tests talk to it over real HTTP.</summary>
internal sealed class PbxSession : IAsyncDisposable
{
    public const string Domain = "sim.portsip.local";
    public const string ClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

    /// <summary>Later than every default generated call, so a fake clock here shows them all.</summary>
    public static readonly DateTimeOffset FakeNow = new(2024, 8, 20, 0, 0, 0, TimeSpan.Zero);

    private PbxSession(SimulatedPbx pbx, FakeTimeProvider? clock)
    {
        Pbx = pbx;
        Clock = clock;
        Http = new HttpClient { BaseAddress = pbx.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatedPbx Pbx { get; }
    public FakeTimeProvider? Clock { get; }
    public HttpClient Http { get; }

    public static async Task<PbxSession> StartAsync(Action<SimulatorOptions>? configure = null, bool fakeClock = false, int calls = 300)
    {
        FakeTimeProvider? clock = fakeClock ? new FakeTimeProvider(FakeNow) : null;
        var options = new SimulatorOptions { Generation = new GenerationOptions { Seed = 7, CallCount = calls } };
        if (clock is not null)
        {
            options.TimeProvider = clock;
        }

        configure?.Invoke(options);
        return new PbxSession(await SimulatedPbx.StartAsync(options), clock);
    }

    public async Task<JsonObject> SignInJsonAsync(string username = "admin", string password = "admin-secret", string? domain = Domain)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = password };
        if (domain is not null)
        {
            body["domain"] = domain;
        }

        (HttpStatusCode status, JsonNode? json) = await SendAsync(HttpMethod.Post, "api/auth/sign_in", null, Json(body));
        Assert.Equal(HttpStatusCode.OK, status);
        return json!.AsObject();
    }

    public async Task<string> SignInAsync(string username = "admin", string password = "admin-secret") =>
        (string)(await SignInJsonAsync(username, password))["access_token"]!;

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using HttpResponseMessage response = await SendRawAsync(method, path, token, content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || !IsJson(response) ? null : JsonNode.Parse(text));
    }

    public async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, string? token, HttpContent? content = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, completion);
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    /// <summary>A GET that must answer 200 with a JSON object.</summary>
    public async Task<JsonObject> GetOkAsync(string path, string token)
    {
        (HttpStatusCode status, JsonNode? body) = await GetAsync(path, token);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {body?.ToJsonString()}");
        return body!.AsObject();
    }

    /// <summary>Every item of a list endpoint, paging with top/skip until skip reaches count.</summary>
    public async Task<List<JsonObject>> ReadAllAsync(string path, string token, int top = 100)
    {
        var items = new List<JsonObject>();
        string separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        for (int skip = 0; ; skip += top)
        {
            JsonObject page = await GetOkAsync($"{path}{separator}top={top}&skip={skip}&count=true", token);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            if (skip + top >= (long)page["count"]!)
            {
                return items;
            }
        }
    }

    public static string ErrorCode(JsonNode? body) => (string)body!["errors"]![0]!["code"]!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Pbx.DisposeAsync();
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/json";
}
