using System.Text.Json;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public class FunctionAppTests
{
    [Fact]
    public void Plan_is_flex_consumption_fc1_on_linux()
    {
        var plan = Arm.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Text("sku.name"));
        Assert.Equal("FlexConsumption", plan.Text("sku.tier"));
        Assert.Equal(JsonValueKind.True, plan.At("properties.reserved").ValueKind);
        Assert.Contains("'Microsoft.Web/serverfarms'", FunctionApp.Text("properties.serverFarmId"), StringComparison.Ordinal);
    }

    [Fact]
    public void App_is_a_linux_function_app() =>
        Assert.Equal("functionapp,linux", FunctionApp.Text("kind"));

    [Fact]
    public void Runtime_is_dotnet_isolated_10_0_as_a_string()
    {
        Assert.Equal("dotnet-isolated", FunctionApp.Text("properties.functionAppConfig.runtime.name"));
        var version = FunctionApp.At("properties.functionAppConfig.runtime.version");
        Assert.Equal(JsonValueKind.String, version.ValueKind);
        Assert.Equal("10.0", version.GetString());
    }

    [Fact]
    public void Scale_settings_come_from_parameters_with_sane_defaults()
    {
        Assert.Equal("instanceMemoryMB", MainParameterBehind(FunctionApp, FunctionApp.Text("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB")));
        Assert.Equal("maximumInstanceCount", MainParameterBehind(FunctionApp, FunctionApp.Text("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount")));

        var memory = Arm.Parameter("instanceMemoryMB");
        Assert.Equal([512, 2048, 4096], memory.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(2048, memory.GetProperty("defaultValue").GetInt32());
        Assert.Equal(40, Arm.Parameter("maximumInstanceCount").GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public void Https_only_with_tls_1_2_and_no_ftp()
    {
        Assert.Equal(JsonValueKind.True, FunctionApp.At("properties.httpsOnly").ValueKind);
        Assert.Equal("1.2", FunctionApp.Text("properties.siteConfig.minTlsVersion"));
        Assert.Equal("1.2", FunctionApp.Text("properties.siteConfig.scmMinTlsVersion"));
        Assert.Equal("Disabled", FunctionApp.Text("properties.siteConfig.ftpsState"));
    }

    [Fact]
    public void No_linuxFxVersion_on_flex()
    {
        Assert.False(FunctionApp.TryAt("properties.siteConfig.linuxFxVersion", out _));
        Assert.DoesNotContain("linuxFxVersion", Arm.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_publishing_credentials_are_disabled(string policy)
    {
        var matches = Arm.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .Where(r => r.Name.Contains($"'{policy}'", StringComparison.Ordinal) || r.Name.EndsWith($"/{policy}", StringComparison.Ordinal))
            .ToList();
        var resource = Assert.Single(matches);
        Assert.Equal(JsonValueKind.False, resource.At("properties.allow").ValueKind);
    }

    [Fact]
    public void Runs_as_the_user_assigned_identity_only()
    {
        Assert.Equal("UserAssigned", FunctionApp.Text("identity.type"));
        var identities = FunctionApp.At("identity.userAssignedIdentities").EnumerateObject().ToList();
        var key = Assert.Single(identities).Name;
        AssertIsIdentityOutput(ResolveParameterIn(FunctionApp, key), "resourceId");
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", IdentityModule.OutputValue("resourceId"), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_vault_references_resolve_with_the_user_assigned_identity() =>
        AssertIsIdentityOutput(FunctionApp.Resolved("properties.keyVaultReferenceIdentity"), "resourceId");

    [Fact]
    public void Deployment_package_is_read_from_blob_storage_with_the_identity()
    {
        const string storage = "properties.functionAppConfig.deployment.storage";
        Assert.Equal("blobContainer", FunctionApp.Text($"{storage}.type"));
        Assert.Equal("UserAssignedIdentity", FunctionApp.Text($"{storage}.authentication.type"));
        AssertIsIdentityOutput(FunctionApp.Resolved($"{storage}.authentication.userAssignedIdentityResourceId"), "resourceId");

        var value = FunctionApp.Text($"{storage}.value");
        Assert.Contains("primaryEndpoints.blob", value, StringComparison.Ordinal);
        var container = ResolveParameterIn(FunctionApp, value, index: 1);
        var containers = Arm.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(ResolveLastNameSegment);
        Assert.Contains(container, containers);
    }

    [Fact]
    public void Azd_service_name_tag_matches_azure_yaml()
    {
        var yaml = AzureYaml.Load(Repo.PathOf("azure.yaml"));
        var service = Assert.Single(yaml.Services).Key;

        var tags = FunctionApp.Text("tags");
        const string marker = "createObject('azd-service-name', ";
        var start = tags.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No azd-service-name tag in {tags}");
        var argument = tags[(start + marker.Length)..];
        argument = argument[..(argument.IndexOf(')', StringComparison.Ordinal) + 1)];
        var resolved = argument.StartsWith('\'')
            ? argument.Trim(')').Trim('\'')
            : ArmTemplate.ResolveExpression(FunctionApp, argument);
        Assert.Equal(service, resolved);
    }
}
