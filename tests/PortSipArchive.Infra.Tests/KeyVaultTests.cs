using System.Text.Json;
using System.Text.RegularExpressions;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public class KeyVaultTests
{
    [Fact]
    public void Vault_uses_rbac_and_soft_delete_for_90_days()
    {
        Assert.Equal(JsonValueKind.True, KeyVault.At("properties.enableRbacAuthorization").ValueKind);
        Assert.Equal(JsonValueKind.True, KeyVault.At("properties.enableSoftDelete").ValueKind);
        Assert.Equal(90, KeyVault.At("properties.softDeleteRetentionInDays").GetInt32());
        Assert.False(KeyVault.TryAt("properties.accessPolicies", out _), "Access policies bypass RBAC.");
    }

    [Fact]
    public void Purge_protection_is_true_or_omitted_never_false()
    {
        var value = KeyVault.At("properties.enablePurgeProtection");
        Assert.NotEqual(JsonValueKind.False, value.ValueKind);
        var expression = ArmTemplate.AsText(value);
        Assert.Matches(@"^\[if\(parameters\('[^']+'\), true\(\), null\(\)\)\]$", expression);
        Assert.Equal("keyVaultPurgeProtection", MainParameterBehind(KeyVault, expression));

        var parameter = Arm.Parameter("keyVaultPurgeProtection");
        Assert.Equal("bool", parameter.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.True, parameter.GetProperty("defaultValue").ValueKind);
    }

    [Fact]
    public void PortSip_password_secret_holds_the_secure_parameter()
    {
        var secret = Arm.Single("Microsoft.KeyVault/vaults/secrets");
        Assert.Equal("portsip-password", ResolveLastNameSegment(secret));

        var value = secret.Text("properties.value");
        Assert.Matches(@"^\[parameters\('[^']+'\)\]$", value);
        var moduleParameter = Regex.Match(value, @"'([^']+)'").Groups[1].Value;
        Assert.Equal("securestring", secret.Template.GetProperty("parameters").GetProperty(moduleParameter).GetProperty("type").GetString());

        var mainParameter = MainParameterBehind(secret, value);
        Assert.Equal("portSipPassword", mainParameter);
        var definition = Arm.Parameter(mainParameter!);
        Assert.Equal("securestring", definition.GetProperty("type").GetString());
        Assert.False(definition.TryGetProperty("defaultValue", out _), "A secure parameter must not have a default.");
    }
}
