using System.Text.Json;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public class TemplateTests
{
    [Fact]
    public void Main_targets_the_subscription_and_creates_the_resource_group()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", Arm.Root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        var group = Arm.Single("Microsoft.Resources/resourceGroups");
        Assert.Null(group.Deployment);
        Assert.Equal("[format('{0}{1}', 'rg-', parameters('environmentName'))]", group.Resolved("name"));
    }

    [Fact]
    public void Every_module_deploys_into_the_resource_group()
    {
        var modules = Arm.OfType("Microsoft.Resources/deployments").ToList();
        Assert.NotEmpty(modules);
        Assert.All(modules, m => Assert.Equal(
            "[format('{0}{1}', 'rg-', parameters('environmentName'))]",
            ArmTemplate.ResolveText(m, m.At("resourceGroup"))));
    }

    [Fact]
    public void Resource_names_derive_from_the_resource_token()
    {
        var main = Arm.OfType("Microsoft.Resources/resourceGroups").Single();
        Assert.Equal(
            "[toLower(uniqueString(subscription().id, parameters('environmentName'), parameters('location')))]",
            ArmTemplate.AsText(Variable(main, "resourceToken")));
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("RESOURCE_GROUP")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("AZURE_FUNCTION_APP_URL")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME")]
    [InlineData("AZURE_KEY_VAULT_NAME")]
    [InlineData("AZURE_KEY_VAULT_URI")]
    public void Output_for_azd_exists(string name) =>
        Assert.True(Arm.Root.GetProperty("outputs").TryGetProperty(name, out _), $"Output {name} is missing.");

    [Fact]
    public void Function_app_url_is_https_on_the_default_host_name()
    {
        var module = Arm.DeploymentDeclaring("Microsoft.Web/sites");
        var url = ArmTemplate.AsText(Arm.Root.GetProperty("outputs").GetProperty("AZURE_FUNCTION_APP_URL").GetProperty("value"));
        var output = url[(url.LastIndexOf(".outputs.", StringComparison.Ordinal) + ".outputs.".Length)..].Split('.')[0];
        var value = module.OutputValue(output);
        Assert.StartsWith("[format('https://{0}', ", value, StringComparison.Ordinal);
        Assert.EndsWith(".defaultHostName)]", value, StringComparison.Ordinal);
    }

    [Fact]
    public void No_output_anywhere_is_secure_or_carries_a_secure_parameter()
    {
        foreach (var template in Templates())
        {
            var secure = SecureParameters(template).Select(p => $"parameters('{p}')").ToList();
            if (!template.TryGetProperty("outputs", out var outputs))
            {
                continue;
            }

            foreach (var output in outputs.EnumerateObject())
            {
                Assert.False(output.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"Output {output.Name} is secure.");
                var value = ArmTemplate.AsText(output.Value.GetProperty("value"));
                Assert.DoesNotContain(secure, s => value.Contains(s, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Secure_parameters_have_no_default_anywhere()
    {
        foreach (var template in Templates())
        {
            foreach (var name in SecureParameters(template))
            {
                Assert.False(template.GetProperty("parameters").GetProperty(name).TryGetProperty("defaultValue", out _), $"Secure parameter {name} has a default.");
            }
        }
    }

    private static IEnumerable<JsonElement> Templates() =>
        new[] { Arm.Root }.Concat(Arm.OfType("Microsoft.Resources/deployments").Select(d => d.At("properties.template")));

    private static List<string> SecureParameters(JsonElement template) =>
        template.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateObject()
                .Where(p => p.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Name)
                .ToList()
            : [];
}
