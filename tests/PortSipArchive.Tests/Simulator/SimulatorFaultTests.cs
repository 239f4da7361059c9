using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorFaultTests
{
    [Fact]
    public async Task Throttle_answers_429_with_retry_after_for_the_next_requests_of_one_kind()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        s.Pbx.Faults.Throttle(2, EndpointKind.Cdrs, TimeSpan.FromSeconds(3));

        await s.GetOkAsync("api/recordings", token);
        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage throttled = await s.SendRawAsync(HttpMethod.Get, "api/cdrs", token);
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), throttled.Headers.RetryAfter!.Delta);
        }

        await s.GetOkAsync("api/cdrs", token);
        Assert.Equal(2, s.Pbx.Requests.CountStatus(429));
        Assert.Equal(2, s.Pbx.Requests.CountStatus(429, EndpointKind.Cdrs));
        Assert.Equal(3, s.Pbx.Requests.Count(EndpointKind.Cdrs, "GET"));
        Assert.Equal(1, s.Pbx.Requests.Count(EndpointKind.Login));
        Assert.Equal(0, s.Pbx.Faults.ThrottleRemaining);
    }

    [Fact]
    public async Task Throttle_without_a_kind_hits_any_request_including_login()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        s.Pbx.Faults.Throttle(1);

        using HttpResponseMessage throttled = await s.SendRawAsync(HttpMethod.Post, "api/auth/sign_in", null, PbxSession.Json(new JsonObject()));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter!.Delta);
        await s.SignInAsync();
    }

    [Fact]
    public async Task ServerErrors_answer_500_or_an_html_503_then_recover()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        s.Pbx.Faults.ServerErrors(1, 500, EndpointKind.Recordings);
        Assert.Equal(HttpStatusCode.InternalServerError, (await s.GetAsync("api/recordings", token)).Status);
        s.Pbx.Faults.ServerErrors(1, 503, retryAfter: TimeSpan.FromSeconds(2));
        using (HttpResponseMessage unavailable = await s.SendRawAsync(HttpMethod.Get, "api/cdrs", token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Equal("text/html", unavailable.Content.Headers.ContentType!.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), unavailable.Headers.RetryAfter!.Delta);
        }

        await s.GetOkAsync("api/cdrs", token);
        await s.GetOkAsync("api/recordings", token);
    }

    [Fact]
    public async Task Delay_slows_every_response()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        s.Pbx.Faults.Delay = TimeSpan.FromMilliseconds(300);

        var watch = Stopwatch.StartNew();
        await s.GetOkAsync("api/cdrs?top=1", token);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task DropConnection_breaks_the_next_list_response_mid_body()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        s.Pbx.Faults.DropConnection(1, EndpointKind.List);

        await AssertTransferFailsAsync(() => s.SendRawAsync(HttpMethod.Get, "api/cdrs", token));

        await s.GetOkAsync("api/cdrs", token);
    }

    [Fact]
    public async Task DropConnection_and_TruncateBlobs_break_blob_downloads_that_announced_the_full_length()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        SimRecording recording = s.Pbx.Data.Recordings[0];
        string path = recording.DownloadPath.TrimStart('/');

        s.Pbx.Faults.DropConnection(1, EndpointKind.Blob);
        await AssertTransferFailsAsync(() => s.SendRawAsync(HttpMethod.Get, path, null));
        s.Pbx.Faults.TruncateBlobs(1);
        using (HttpResponseMessage headers = await s.SendRawAsync(HttpMethod.Get, path, null, completion: HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(recording.Size, headers.Content.Headers.ContentLength);
            await AssertTransferFailsAsync(async () => await headers.Content.ReadAsByteArrayAsync());
        }

        using HttpResponseMessage whole = await s.SendRawAsync(HttpMethod.Get, path, null);
        Assert.Equal(recording.Size, (await whole.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task MalformedResponse_sends_invalid_json_for_the_next_list_responses()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        s.Pbx.Faults.MalformedResponse(1);

        using HttpResponseMessage response = await s.SendRawAsync(HttpMethod.Get, "api/recordings", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(text));

        await s.GetOkAsync("api/recordings", token);
    }

    [Theory]
    [InlineData("started_at", "not-a-date")]
    [InlineData("duration", "abc")]
    public async Task MalformedCdrIds_render_a_bad_field_in_list_and_detail(string field, string bad)
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        SimCdr broken = s.Pbx.VisibleCdrs()[2];
        s.Pbx.Faults.MalformedCdrIds.Add(broken.Id);
        s.Pbx.Faults.MalformedCdrField = field;

        JsonObject page = await s.GetOkAsync("api/cdrs?top=5", token);
        JsonObject detail = await s.GetOkAsync($"api/cdrs/{broken.Id}", token);

        Assert.Equal(bad, (string)page["items"]![2]![field]!);
        Assert.Equal(bad, (string)detail["items"]![0]![field]!);
        Assert.True(JsonNode.DeepEquals(s.Pbx.VisibleCdrs()[1].ToListJson(), page["items"]![1]));
    }

    [Fact]
    public async Task RefuseGet_answers_405_to_get_on_lists_and_details_while_post_works()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        s.Pbx.Faults.RefuseGet = true;
        SimRecording recording = s.Pbx.VisibleRecordings()[0];

        foreach (string path in new[] { "api/cdrs", "api/recordings", $"api/cdrs/{recording.CdrId}", $"api/recordings/{recording.Id}" })
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await s.GetAsync(path, token)).Status);
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, path, token, PbxSession.Json(new JsonObject()))).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(recording.DownloadPath.TrimStart('/'), null)).Status);
    }

    [Fact]
    public async Task RecordingsGone_are_still_listed_but_detail_and_blob_answer_404()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        SimRecording gone = s.Pbx.VisibleRecordings()[1];
        s.Pbx.Faults.RecordingsGone.Add(gone.Id);

        Assert.Contains(await s.ReadAllAsync("api/recordings", token), i => (string)i["id"]! == gone.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync($"api/recordings/{gone.Id}", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync(gone.DownloadPath.TrimStart('/'), null)).Status);
    }

    [Fact]
    public async Task Reset_returns_to_a_well_behaved_pbx()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        FaultSwitches faults = s.Pbx.Faults;
        faults.Throttle(5);
        faults.ServerErrors(5);
        faults.MalformedResponse(5);
        faults.RefuseGet = faults.PrivateDownloads = faults.SignInMissing = faults.AuthUserMissing = faults.RefreshFails = faults.TwoFactor = true;
        faults.RecordingsGone.Add(s.Pbx.Data.Recordings[0].Id);
        faults.TokenLifetime = TimeSpan.FromSeconds(5);

        faults.Reset();

        JsonObject login = await s.SignInJsonAsync();
        Assert.Equal(1800, (int)login["expires_in"]!);
        await s.GetOkAsync("api/cdrs", token);
        await s.GetOkAsync("api/auth/user", token);
        await s.GetOkAsync($"api/recordings/{s.Pbx.Data.Recordings[0].Id}", token);
        Assert.Equal(0, faults.ThrottleRemaining + faults.ServerErrorsRemaining + faults.MalformedResponseRemaining);
    }

    private static async Task AssertTransferFailsAsync(Func<Task> transfer)
    {
        Exception? error = await Record.ExceptionAsync(transfer);
        Assert.True(error is HttpRequestException or IOException, $"expected a broken transfer, got {error?.GetType().Name ?? "success"}");
    }
}
