using System.Net;
using System.Text.Json.Nodes;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorAuthFaultTests
{
    [Fact]
    public async Task TokenLifetime_is_reported_in_expires_in_and_enforced()
    {
        await using PbxSession s = await PbxSession.StartAsync(fakeClock: true);
        s.Pbx.Faults.TokenLifetime = TimeSpan.FromSeconds(60);

        JsonObject login = await s.SignInJsonAsync();
        Assert.Equal(60, (int)login["expires_in"]!);
        s.Clock!.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync("api/cdrs", (string)login["access_token"]!)).Status);
    }

    [Fact]
    public async Task ExpiredTokenStatus_changes_the_status_of_an_expired_token_only()
    {
        await using PbxSession s = await PbxSession.StartAsync(fakeClock: true);
        s.Pbx.Faults.ExpiredTokenStatus = 400;
        string token = await s.SignInAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync("api/cdrs", "unknown")).Status);
        s.Clock!.Advance(TimeSpan.FromHours(1));
        (HttpStatusCode status, JsonNode? body) = await s.GetAsync("api/cdrs", token);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNAUTHORIZED", PbxSession.ErrorCode(body));
    }

    [Fact]
    public async Task PrivateDownloads_require_the_bearer_token_for_blobs()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        string path = s.Pbx.Data.Recordings[0].DownloadPath.TrimStart('/');
        s.Pbx.Faults.PrivateDownloads = true;

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync(path, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(path, token)).Status);
    }

    [Fact]
    public async Task SignInMissing_hides_the_json_login_but_the_oauth_form_still_works()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        s.Pbx.Faults.SignInMissing = true;
        var body = new JsonObject { ["username"] = "admin", ["password"] = "admin-secret", ["domain"] = PbxSession.Domain };

        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Post, "api/auth/sign_in", null, PbxSession.Json(body))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Post, "api/auth/refresh_token", null, PbxSession.Json(new JsonObject { ["refresh_token"] = "x" }))).Status);
        (HttpStatusCode status, _) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "password"), ("username", "admin"), ("password", "admin-secret"), ("scope", "all"),
            ("client_id", PbxSession.ClientId), ("domain", PbxSession.Domain)));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task AuthUserMissing_answers_404_for_auth_user()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        s.Pbx.Faults.AuthUserMissing = true;

        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync("api/auth/user", token)).Status);
    }

    [Fact]
    public async Task RefreshFails_makes_both_refresh_endpoints_answer_400_UNKNOWN()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string refreshToken = (string)(await s.SignInJsonAsync())["refresh_token"]!;
        s.Pbx.Faults.RefreshFails = true;

        (HttpStatusCode status, JsonNode? body) = await s.SendAsync(HttpMethod.Post, "api/auth/refresh_token", null, PbxSession.Json(new JsonObject { ["refresh_token"] = refreshToken }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNKNOWN", PbxSession.ErrorCode(body));
        (status, body) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", PbxSession.ClientId)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNKNOWN", PbxSession.ErrorCode(body));
    }

    [Fact]
    public async Task TwoFactor_answers_a_challenge_instead_of_tokens()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        s.Pbx.Faults.TwoFactor = true;

        JsonObject answer = await s.SignInJsonAsync();

        Assert.True((bool)answer["two_factor_enabled"]!);
        Assert.False(string.IsNullOrEmpty((string?)answer["token"]));
        Assert.False(answer.ContainsKey("access_token"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync("api/cdrs", (string)answer["token"]!)).Status);
    }
}
