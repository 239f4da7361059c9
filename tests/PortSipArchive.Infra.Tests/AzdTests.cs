using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public partial class AzdTests
{
    private static AzureYaml Yaml => AzureYaml.Load(Repo.PathOf("azure.yaml"));

    private static JsonElement ParameterFile()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repo.PathOf("infra", "main.parameters.json")));
        return document.RootElement.GetProperty("parameters").Clone();
    }

    [Fact]
    public void Azure_yaml_names_the_template()
    {
        Assert.Equal("portsip-call-archive", Yaml.Name);
    }

    [Fact]
    public void Azure_yaml_has_one_dotnet_function_service_for_the_functions_project()
    {
        var (name, service) = Assert.Single(Yaml.Services);
        Assert.Equal("api", name);
        Assert.Equal("./src/PortSipArchive.Functions/", service["project"]);
        Assert.Equal("dotnet", service["language"]);
        Assert.Equal("function", service["host"]);

        var folder = Repo.PathOf(service["project"].Split('/', StringSplitOptions.RemoveEmptyEntries));
        Assert.NotEmpty(Directory.GetFiles(folder, "*.csproj"));
    }

    [Fact]
    public void Every_required_parameter_is_mapped_to_an_azd_variable()
    {
        var file = ParameterFile();
        foreach (var parameter in Arm.Root.GetProperty("parameters").EnumerateObject())
        {
            if (!parameter.Value.TryGetProperty("defaultValue", out _))
            {
                Assert.True(file.TryGetProperty(parameter.Name, out _), $"Required parameter {parameter.Name} is not in main.parameters.json.");
            }
        }
    }

    [Fact]
    public void Every_mapping_targets_a_parameter_and_reads_an_environment_variable()
    {
        var parameters = Arm.Root.GetProperty("parameters");
        foreach (var entry in ParameterFile().EnumerateObject())
        {
            Assert.True(parameters.TryGetProperty(entry.Name, out _), $"main.parameters.json maps unknown parameter {entry.Name}.");
            Assert.Matches(EnvReference(), entry.Value.GetProperty("value").GetString()!);
        }
    }

    [Fact]
    public void Defaults_in_the_parameter_file_equal_the_template_defaults()
    {
        var parameters = Arm.Root.GetProperty("parameters");
        foreach (var entry in ParameterFile().EnumerateObject())
        {
            var match = EnvReference().Match(entry.Value.GetProperty("value").GetString()!);
            if (!match.Groups["default"].Success)
            {
                continue;
            }

            var templateDefault = parameters.GetProperty(entry.Name).GetProperty("defaultValue");
            var expected = templateDefault.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => templateDefault.GetInt64().ToString(CultureInfo.InvariantCulture),
                _ => templateDefault.GetString(),
            };
            Assert.True(expected == match.Groups["default"].Value, $"{entry.Name}: file default '{match.Groups["default"].Value}' != template default '{expected}'.");
        }
    }

    [Theory]
    [InlineData("environmentName", "AZURE_ENV_NAME")]
    [InlineData("location", "AZURE_LOCATION")]
    [InlineData("principalId", "AZURE_PRINCIPAL_ID")]
    [InlineData("principalType", "AZURE_PRINCIPAL_TYPE")]
    [InlineData("portSipBaseUrl", "PORTSIP_BASE_URL")]
    [InlineData("portSipUsername", "PORTSIP_USERNAME")]
    [InlineData("portSipPassword", "PORTSIP_PASSWORD")]
    [InlineData("portSipTenantDomain", "PORTSIP_TENANT_DOMAIN")]
    [InlineData("portSipLoginStyle", "PORTSIP_LOGIN_STYLE")]
    [InlineData("syncSchedule", "SYNC_SCHEDULE")]
    [InlineData("deleteFromPbxAfterArchive", "DELETE_FROM_PBX_AFTER_ARCHIVE")]
    public void Parameter_reads_the_documented_variable(string parameter, string variable)
    {
        var value = ParameterFile().GetProperty(parameter).GetProperty("value").GetString()!;
        Assert.Equal(variable, EnvReference().Match(value).Groups["name"].Value);
    }

    [Fact]
    public void Every_azd_variable_is_documented()
    {
        var guide = File.ReadAllText(Repo.PathOf("docs", "deployment.md"));
        foreach (var entry in ParameterFile().EnumerateObject())
        {
            var name = EnvReference().Match(entry.Value.GetProperty("value").GetString()!).Groups["name"].Value;
            Assert.True(guide.Contains(name, StringComparison.Ordinal), $"docs/deployment.md does not mention {name}.");
        }
    }

    [GeneratedRegex(@"^\$\{(?<name>[A-Z][A-Z0-9_]*)(=(?<default>[^}]*))?\}$")]
    private static partial Regex EnvReference();
}
