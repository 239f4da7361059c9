using PortSip.Simulator;
using PortSipArchive.Configuration;
using PortSipArchive.PortSip;

namespace PortSipArchive.Tests.PortSip;

public sealed class PortSipLoginTests
{
    [Theory]
    [InlineData("SignIn", "sign_in")]
    [InlineData("OAuth", "oauth")]
    public async Task Both_login_styles_reach_the_cdrs(string style, string expectedLoginPath)
    {
        await using var h = await PbxHarness.StartAsync(settings: s => s["PortSip:LoginStyle"] = style);

        var cdrs = await h.AllCdrsAsync();

        Assert.Equal(h.Pbx.VisibleCdrs().Count, cdrs.Count);
        Assert.Equal(Enum.Parse<LoginStyle>(style), h.Client.EffectiveLoginStyle);
        Assert.Equal(1, h.RequestsTo(expectedLoginPath));
    }

    [Fact]
    public async Task Auto_falls_back_to_the_oauth_form_when_sign_in_is_missing()
    {
        await using var h = await PbxHarness.StartAsync();
        h.Pbx.Faults.SignInMissing = true;

        var cdrs = await h.AllCdrsAsync();

        Assert.NotEmpty(cdrs);
        Assert.Equal(LoginStyle.OAuth, h.Client.EffectiveLoginStyle);
    }

    [Fact]
    public async Task Token_is_refreshed_before_it_expires_without_a_new_login()
    {
        await using var h = await PbxHarness.StartAsync();
        h.Pbx.Faults.TokenLifetime = TimeSpan.FromSeconds(100);
        await h.AllCdrsAsync();

        h.Clock.Advance(TimeSpan.FromSeconds(90));
        await h.AllCdrsAsync();

        Assert.Equal(1, h.Client.LoginCount);
        Assert.Equal(1, h.RequestsTo("refresh_token"));
        Assert.Equal(0, h.Pbx.Requests.CountStatus(401));
    }

    [Fact]
    public async Task A_failed_refresh_falls_back_to_a_full_login()
    {
        await using var h = await PbxHarness.StartAsync();
        h.Pbx.Faults.TokenLifetime = TimeSpan.FromSeconds(100);
        h.Pbx.Faults.RefreshFails = true;
        await h.AllCdrsAsync();

        h.Clock.Advance(TimeSpan.FromSeconds(90));
        var cdrs = await h.AllCdrsAsync();

        Assert.NotEmpty(cdrs);
        Assert.Equal(2, h.Client.LoginCount);
    }

    [Fact]
    public async Task A_401_causes_one_relogin_and_one_retry()
    {
        await using var h = await PbxHarness.StartAsync();
        await h.AllCdrsAsync();

        // The PBX drops the session early (a restart, a revoked token): the client only learns it from the 401.
        h.Pbx.RevokeAllTokens();
        var cdrs = await h.AllCdrsAsync();

        Assert.Equal(h.Pbx.VisibleCdrs().Count, cdrs.Count);
        Assert.Equal(1, h.Pbx.Requests.CountStatus(401));
        Assert.Equal(2, h.Client.LoginCount);
    }

    [Fact]
    public async Task Wrong_password_fails_with_portsip_error_and_no_secret_in_the_message()
    {
        await using var h = await PbxHarness.StartAsync(settings: s => s["PortSip:Password"] = "wrong-Pa55word");

        var ex = await Assert.ThrowsAsync<PortSipAuthenticationException>(() => h.AllCdrsAsync());

        Assert.Contains("UNAUTHORIZED", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PortSip__Password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pa55word", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("wrong-Pa55word", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_factor_account_fails_with_advice_to_use_a_service_account()
    {
        await using var h = await PbxHarness.StartAsync(settings: s => s["PortSip:LoginStyle"] = "SignIn");
        h.Pbx.Faults.TwoFactor = true;

        var ex = await Assert.ThrowsAsync<PortSipAuthenticationException>(() => h.AllCdrsAsync());

        Assert.Contains("two-factor", ex.Message, StringComparison.Ordinal);
        Assert.Contains("service account", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_never_appear_in_logs()
    {
        await using var h = await PbxHarness.StartAsync();
        h.Pbx.Faults.TokenLifetime = TimeSpan.FromSeconds(10);
        await h.AllCdrsAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        await h.AllCdrsAsync();

        Assert.NotEmpty(h.Logs.Lines);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("Bearer", StringComparison.OrdinalIgnoreCase)
            || l.Contains("access_token", StringComparison.Ordinal) || l.Contains("admin-secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("admin", "admin-secret", true, "Admin")]
    [InlineData("user101", "user-secret", false, "StandardUser")]
    public async Task Account_reach_is_read_and_a_regular_user_is_warned_about(string user, string password, bool wide, string role)
    {
        await using var h = await PbxHarness.StartAsync(settings: s =>
        {
            s["PortSip:Username"] = user;
            s["PortSip:Password"] = password;
        });

        var reach = await h.Client.GetAccountReachAsync(CancellationToken.None);

        Assert.Equal(wide, reach.IsTenantWide);
        Assert.Equal(role, reach.Role);
        Assert.Equal(!wide, h.Logs.Lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("own calls", StringComparison.Ordinal)));
        if (!wide)
        {
            var cdrs = await h.AllCdrsAsync();
            Assert.All(cdrs, c => Assert.True(c.Caller == "101" || c.Callee == "101"));
        }
    }

    [Fact]
    public async Task Account_reach_is_unknown_when_the_pbx_has_no_auth_user()
    {
        await using var h = await PbxHarness.StartAsync();
        h.Pbx.Faults.AuthUserMissing = true;

        var reach = await h.Client.GetAccountReachAsync(CancellationToken.None);

        Assert.Null(reach.IsTenantWide);
        Assert.Contains("cannot be checked", reach.Summary, StringComparison.Ordinal);
    }
}
