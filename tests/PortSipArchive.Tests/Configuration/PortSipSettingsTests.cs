using Microsoft.Extensions.Configuration;
using PortSipArchive.Configuration;

namespace PortSipArchive.Tests.Configuration;

public sealed class PortSipSettingsTests
{
    private static PortSipSettings Load(params (string Key, string Value)[] values) =>
        PortSipSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    private static readonly (string, string)[] Minimal =
    [
        ("PortSip:BaseUrl", "https://pbx.example.com:8887"),
        ("PortSip:Username", "archiver"),
        ("PortSip:Password", "s3cret"),
    ];

    [Fact]
    public void Single_source_gets_defaults()
    {
        var source = Assert.Single(Load(Minimal).Sources);

        Assert.Equal("main", source.Name);
        Assert.Equal(LoginStyle.Auto, source.LoginStyle);
        Assert.Equal(ListMethod.Get, source.ListMethod);
        Assert.Equal(100, source.PageSize);
        Assert.Null(source.TenantDomain);
        Assert.DoesNotContain("s3cret", source.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Msp_sources_inherit_the_shared_top_level_values()
    {
        var settings = Load(
            ("PortSip:BaseUrl", "https://hosted.example.com"),
            ("PortSip:LoginStyle", "OAuth"),
            ("PortSip:Sources:acme:Username", "acme-admin"),
            ("PortSip:Sources:acme:Password", "a"),
            ("PortSip:Sources:acme:TenantDomain", "acme.example.com"),
            ("PortSip:Sources:globex:Username", "globex-admin"),
            ("PortSip:Sources:globex:Password", "g"),
            ("PortSip:Sources:globex:BaseUrl", "https://globex-pbx.example.com"),
            ("PortSip:Sources:globex:ListMethod", "post"));

        Assert.Equal(["acme", "globex"], settings.Sources.Select(s => s.Name));
        Assert.Equal(new Uri("https://hosted.example.com"), settings["acme"].BaseUrl);
        Assert.Equal(LoginStyle.OAuth, settings["acme"].LoginStyle);
        Assert.Equal("acme.example.com", settings["acme"].TenantDomain);
        Assert.Equal(new Uri("https://globex-pbx.example.com"), settings["globex"].BaseUrl);
        Assert.Equal(ListMethod.Post, settings["globex"].ListMethod);
    }

    [Theory]
    [InlineData("PortSip:BaseUrl", null, "PortSip__BaseUrl")]
    [InlineData("PortSip:BaseUrl", "pbx.example.com", "PortSip__BaseUrl")]
    [InlineData("PortSip:BaseUrl", "ftp://pbx.example.com", "PortSip__BaseUrl")]
    [InlineData("PortSip:Password", null, "PortSip__Password")]
    [InlineData("PortSip:LoginStyle", "kerberos", "PortSip__LoginStyle")]
    [InlineData("PortSip:PageSize", "500", "PortSip__PageSize")]
    [InlineData("PortSip:ListMethod", "PUT", "PortSip__ListMethod")]
    [InlineData("PortSip:SourceName", "bad name!", "PortSip__SourceName")]
    public void Bad_settings_fail_with_the_setting_name(string key, string? value, string expectedSetting)
    {
        var values = Minimal.Where(v => v.Item1 != key).ToList();
        if (value is not null)
        {
            values.Add((key, value));
        }

        var ex = Assert.Throws<InvalidSettingException>(() => Load([.. values]));
        Assert.Equal(expectedSetting, ex.SettingName);
        Assert.Contains(expectedSetting, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Msp_source_missing_its_password_is_named()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => Load(
            ("PortSip:BaseUrl", "https://hosted.example.com"),
            ("PortSip:Sources:acme:Username", "acme-admin")));
        Assert.Equal("PortSip__Sources__acme__Password", ex.SettingName);
    }
}
