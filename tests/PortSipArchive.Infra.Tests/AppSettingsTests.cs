using System.Text.Json;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public class AppSettingsTests
{
    public static TheoryData<string> ContractSettings => AppSettingsContract.AllAsTheoryData();

    [Theory]
    [MemberData(nameof(ContractSettings))]
    public void Contract_setting_is_configured(string name) =>
        Assert.True(AppSettings.TryGetProperty(name, out _), $"App setting '{name}' is missing from the Function App.");

    [Fact]
    public void Settings_are_exactly_the_contract()
    {
        var configured = AppSettings.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(AppSettingsContract.All.Order(StringComparer.Ordinal), configured);
    }

    [Fact]
    public void Flex_deprecated_settings_are_absent_everywhere()
    {
        foreach (var name in AppSettingsContract.ForbiddenOnFlex)
        {
            Assert.DoesNotContain(name, Arm.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Host_storage_uses_the_managed_identity_not_a_connection_string()
    {
        Assert.False(AppSettings.TryGetProperty("AzureWebJobsStorage", out _), "AzureWebJobsStorage must not be a connection string in Azure.");
        Assert.Equal("managedidentity", SettingResolved("AzureWebJobsStorage__credential"));
        AssertIsIdentityOutput(SettingResolved("AzureWebJobsStorage__clientId"), "clientId");
        Assert.Contains("clientId", IdentityModule.OutputValue("clientId"), StringComparison.Ordinal);

        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var uri = SettingResolved($"AzureWebJobsStorage__{service}ServiceUri");
            Assert.Contains("'Microsoft.Storage/storageAccounts'", uri, StringComparison.Ordinal);
            Assert.EndsWith($".primaryEndpoints.{service}]", uri, StringComparison.Ordinal);
        }

        foreach (var setting in AppSettings.EnumerateObject())
        {
            var value = ArmTemplate.AsText(setting.Value);
            Assert.DoesNotContain("AccountKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Application_insights_authenticates_with_the_identity()
    {
        Assert.Contains(".ConnectionString]", SettingResolved("APPLICATIONINSIGHTS_CONNECTION_STRING"), StringComparison.Ordinal);

        var authentication = ArmTemplate.AsText(Setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD', ", authentication, StringComparison.Ordinal);
        AssertIsIdentityOutput(ResolveParameterIn(AppSettingsResource, authentication), "clientId");
    }

    [Fact]
    public void PortSip_password_is_a_key_vault_reference_to_the_secret()
    {
        var password = ArmTemplate.AsText(Setting("PortSip__Password"));
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', ", password, StringComparison.Ordinal);

        var secretUri = ResolveParameterIn(AppSettingsResource, password);
        var vaultModule = Arm.DeploymentDeclaring("Microsoft.KeyVault/vaults");
        Assert.Contains($"'Microsoft.Resources/deployments', '{vaultModule.Name}')", secretUri, StringComparison.Ordinal);
        var output = secretUri[(secretUri.LastIndexOf(".outputs.", StringComparison.Ordinal) + ".outputs.".Length)..].Split('.')[0];
        var outputValue = vaultModule.OutputValue(output);
        Assert.Contains("'Microsoft.KeyVault/vaults/secrets'", outputValue, StringComparison.Ordinal);
        Assert.EndsWith(".secretUri]", outputValue, StringComparison.Ordinal);
    }

    [Fact]
    public void No_setting_carries_a_secure_parameter()
    {
        var secure = Arm.Root.GetProperty("parameters").EnumerateObject()
            .Where(p => p.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
            .Select(p => $"parameters('{p.Name}')")
            .ToList();
        Assert.NotEmpty(secure);
        foreach (var setting in AppSettings.EnumerateObject())
        {
            var value = AppSettingsResource.Resolved(setting.Value);
            Assert.DoesNotContain(secure, s => value.Contains(s, StringComparison.Ordinal));
        }

        foreach (var parameter in AppSettingsResource.Template.GetProperty("parameters").EnumerateObject())
        {
            Assert.False(parameter.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase),
                $"The function app module takes a secure parameter '{parameter.Name}'; secrets belong in Key Vault.");
        }
    }

    [Theory]
    [InlineData("PortSip__SourceName", "portSipSourceName", "main")]
    [InlineData("PortSip__BaseUrl", "portSipBaseUrl", null)]
    [InlineData("PortSip__Username", "portSipUsername", null)]
    [InlineData("PortSip__TenantDomain", "portSipTenantDomain", "")]
    [InlineData("PortSip__LoginStyle", "portSipLoginStyle", "Auto")]
    [InlineData("PortSip__ListMethod", "portSipListMethod", "Get")]
    [InlineData("PortSip__PageSize", "portSipPageSize", "100")]
    [InlineData("SYNC_SCHEDULE", "syncSchedule", "0 */5 * * * *")]
    [InlineData("Sync__StartDaysBack", "syncStartDaysBack", "180")]
    [InlineData("Sync__OverlapMinutes", "syncOverlapMinutes", "30")]
    [InlineData("Sync__MaxRunSeconds", "syncMaxRunSeconds", "240")]
    [InlineData("Sync__MaxRequests", "syncMaxRequests", "2000")]
    [InlineData("RECORDINGS_QUEUE", "recordingsQueueName", "recordings")]
    [InlineData("Recordings__DeleteFromPbxAfterArchive", "deleteFromPbxAfterArchive", "false")]
    [InlineData("Archive__TablePrefix", "tablePrefix", "portsip")]
    [InlineData("Archive__RecordingsContainer", "recordingsContainerName", "recordings")]
    public void Product_setting_comes_from_a_main_parameter_with_the_documented_default(string setting, string parameter, string? defaultValue)
    {
        Assert.Equal(parameter, MainParameterBehind(AppSettingsResource, ArmTemplate.AsText(Setting(setting))));

        var definition = Arm.Parameter(parameter);
        if (defaultValue is null)
        {
            Assert.False(definition.TryGetProperty("defaultValue", out _), $"{parameter} must be required (azd prompts for it).");
        }
        else
        {
            var actual = definition.GetProperty("defaultValue");
            var text = actual.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.String => actual.GetString(),
                _ => actual.GetRawText(),
            };
            Assert.Equal(defaultValue, text);
        }
    }

    [Fact]
    public void Boolean_setting_is_written_as_lowercase_text()
    {
        var value = ArmTemplate.AsText(Setting("Recordings__DeleteFromPbxAfterArchive"));
        Assert.Contains("'true', 'false')", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Product_settings_exist_in_local_settings_sample()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Repo.PathOf("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        foreach (var name in AppSettingsContract.Product)
        {
            Assert.True(values.TryGetProperty(name, out _), $"'{name}' is deployed but not in local.settings.sample.json: has the app renamed it?");
        }
    }
}
