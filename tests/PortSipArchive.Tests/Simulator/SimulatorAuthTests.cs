using System.Net;
using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorAuthTests
{
    [Fact]
    public async Task SignIn_returns_bearer_tokens_and_refresh_token_issues_a_new_working_token()
    {
        await using PbxSession s = await PbxSession.StartAsync();

        JsonObject login = await s.SignInJsonAsync();
        Assert.Equal("Bearer", (string)login["token_type"]!);
        Assert.Equal(1800, (int)login["expires_in"]!);
        string first = (string)login["access_token"]!;
        await s.GetOkAsync("api/cdrs?top=1", first);

        var refreshBody = new JsonObject { ["refresh_token"] = (string)login["refresh_token"]! };
        (HttpStatusCode status, JsonNode? refreshed) = await s.SendAsync(HttpMethod.Post, "api/auth/refresh_token", null, PbxSession.Json(refreshBody));
        Assert.Equal(HttpStatusCode.OK, status);
        string second = (string)refreshed!["access_token"]!;
        Assert.NotEqual(first, second);
        Assert.Equal("Bearer", (string)refreshed["token_type"]!);
        await s.GetOkAsync("api/cdrs?top=1", second);
    }

    [Fact]
    public async Task OAuth_form_login_with_domain_and_refresh_grant_both_work()
    {
        await using PbxSession s = await PbxSession.StartAsync();

        (HttpStatusCode status, JsonNode? login) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "password"), ("username", "admin"), ("password", "admin-secret"), ("scope", "all"),
            ("client_id", PbxSession.ClientId), ("domain", PbxSession.Domain)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1800, (int)login!["expires_in"]!);
        await s.GetOkAsync("api/recordings?top=1", (string)login["access_token"]!);

        (status, JsonNode? refreshed) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "refresh_token"), ("refresh_token", (string)login["refresh_token"]!), ("client_id", PbxSession.ClientId)));
        Assert.Equal(HttpStatusCode.OK, status);
        await s.GetOkAsync("api/recordings?top=1", (string)refreshed!["access_token"]!);
    }

    [Fact]
    public async Task OAuth_needs_the_documented_client_id_and_a_form_body()
    {
        await using PbxSession s = await PbxSession.StartAsync();

        (HttpStatusCode status, JsonNode? body) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "password"), ("username", "admin"), ("password", "admin-secret"), ("scope", "all"),
            ("clicent_id", PbxSession.ClientId), ("domain", PbxSession.Domain)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNAUTHORIZED", PbxSession.ErrorCode(body));

        var json = new JsonObject { ["grant_type"] = "password", ["username"] = "admin", ["password"] = "admin-secret" };
        (status, body) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("VALIDATE_FAILED", PbxSession.ErrorCode(body));
    }

    [Theory]
    [InlineData("admin", "wrong", PbxSession.Domain)]
    [InlineData("nobody", "admin-secret", PbxSession.Domain)]
    [InlineData("admin", "admin-secret", null)]
    [InlineData("admin", "admin-secret", "other.tenant")]
    public async Task Wrong_credentials_answer_400_UNAUTHORIZED_on_both_login_styles(string user, string password, string? domain)
    {
        await using PbxSession s = await PbxSession.StartAsync();
        var body = new JsonObject { ["username"] = user, ["password"] = password, ["domain"] = domain };

        (HttpStatusCode status, JsonNode? error) = await s.SendAsync(HttpMethod.Post, "api/auth/sign_in", null, PbxSession.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNAUTHORIZED", PbxSession.ErrorCode(error));
        Assert.Equal("Login failed, authentication error", (string)error!["errors"]![0]!["message"]!);

        (status, error) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "password"), ("username", user), ("password", password), ("scope", "all"),
            ("client_id", PbxSession.ClientId), ("domain", domain ?? "")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNAUTHORIZED", PbxSession.ErrorCode(error));
    }

    [Fact]
    public async Task Bad_refresh_token_answers_400_UNKNOWN_on_both_styles()
    {
        await using PbxSession s = await PbxSession.StartAsync();

        (HttpStatusCode status, JsonNode? error) = await s.SendAsync(HttpMethod.Post, "api/auth/refresh_token", null,
            PbxSession.Json(new JsonObject { ["refresh_token"] = "not-a-token" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNKNOWN", PbxSession.ErrorCode(error));
        Assert.Equal("unknown error", (string)error!["errors"]![0]!["message"]!);

        (status, error) = await s.SendAsync(HttpMethod.Post, "api/login/oauth/token", null, PbxSession.Form(
            ("grant_type", "refresh_token"), ("refresh_token", "not-a-token"), ("client_id", PbxSession.ClientId)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UNKNOWN", PbxSession.ErrorCode(error));
    }

    [Fact]
    public async Task Token_expires_after_its_lifetime_on_the_pbx_clock()
    {
        await using PbxSession s = await PbxSession.StartAsync(fakeClock: true);
        string token = await s.SignInAsync();

        s.Clock!.Advance(TimeSpan.FromSeconds(1799));
        await s.GetOkAsync("api/cdrs?top=1", token);

        s.Clock.Advance(TimeSpan.FromSeconds(1));
        (HttpStatusCode status, JsonNode? body) = await s.GetAsync("api/cdrs?top=1", token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHORIZED", PbxSession.ErrorCode(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("made-up-token")]
    public async Task Missing_or_unknown_token_answers_401(string? token)
    {
        await using PbxSession s = await PbxSession.StartAsync();

        foreach (string path in new[] { "api/cdrs", "api/recordings", "api/auth/user", "api/cdrs/1" })
        {
            (HttpStatusCode status, JsonNode? body) = await s.GetAsync(path, token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("UNAUTHORIZED", PbxSession.ErrorCode(body));
        }
    }

    [Fact]
    public async Task Revoked_tokens_answer_401()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();

        s.Pbx.RevokeAllTokens();

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync("api/cdrs", token)).Status);
    }

    [Theory]
    [InlineData("admin", "admin-secret", "Admin")]
    [InlineData("user101", "user-secret", "StandardUser")]
    public async Task Auth_user_reports_role_and_domain(string user, string password, string role)
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync(user, password);

        JsonObject me = await s.GetOkAsync("api/auth/user", token);

        Assert.Equal(role, (string)me["role"]!);
        Assert.Equal(PbxSession.Domain, (string)me["domain"]!);
        Assert.True((bool)me["password_verified"]!);
        Assert.False((bool)me["password_force_reset"]!);
    }

    [Fact]
    public async Task System_admin_logs_in_without_a_domain()
    {
        await using PbxSession s = await PbxSession.StartAsync(o => o.Accounts.Add(new SimAccount("root", "pw", null, SimAccount.SystemAdminRole, null)));

        JsonObject login = await s.SignInJsonAsync("root", "pw", domain: null);

        JsonObject me = await s.GetOkAsync("api/auth/user", (string)login["access_token"]!);
        Assert.Equal("SystemAdmin", (string)me["role"]!);
        Assert.Equal("", (string)me["domain"]!);
    }
}
