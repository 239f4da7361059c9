using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortSipArchive.Infra.Tests;

/// <summary>Shared look-ups over the compiled template: the app, its settings and where values come from.</summary>
internal static partial class Wiring
{
    public static ArmTemplate Arm => ArmTemplate.Main;

    public static ArmResource FunctionApp => Arm.Single("Microsoft.Web/sites");

    public static ArmResource StorageAccount => Arm.Single("Microsoft.Storage/storageAccounts");

    public static ArmResource KeyVault => Arm.Single("Microsoft.KeyVault/vaults");

    public static ArmResource AppSettingsResource
    {
        get
        {
            var settings = Arm.OfType("Microsoft.Web/sites/config")
                .Where(r => r.Name.Contains("'appsettings'", StringComparison.Ordinal) || r.Name.EndsWith("/appsettings", StringComparison.Ordinal))
                .ToList();
            Assert.True(settings.Count == 1, $"Expected one Microsoft.Web/sites/config appsettings resource, found {settings.Count}.");
            return settings[0];
        }
    }

    public static JsonElement AppSettings => AppSettingsResource.At("properties");

    public static JsonElement Setting(string name)
    {
        Assert.True(AppSettings.TryGetProperty(name, out var value), $"App setting '{name}' is missing.");
        return value;
    }

    public static string SettingResolved(string name) => AppSettingsResource.Resolved(Setting(name));

    /// <summary>The module deployment that creates the user-assigned identity.</summary>
    public static ArmResource IdentityModule => Arm.DeploymentDeclaring("Microsoft.ManagedIdentity/userAssignedIdentities");

    /// <summary>Asserts that a resolved expression is output <paramref name="output"/> of the identity module.</summary>
    public static void AssertIsIdentityOutput(string resolved, string output)
    {
        Assert.Contains($"'Microsoft.Resources/deployments', '{IdentityModule.Name}')", resolved, StringComparison.Ordinal);
        Assert.EndsWith($".outputs.{output}.value]", resolved, StringComparison.Ordinal);
    }

    /// <summary>
    /// The main.bicep parameter behind an expression in <paramref name="context"/> that uses exactly one
    /// parameters('x'), e.g. [string(parameters('portSipPageSize'))]; null if it does not lead to one.
    /// </summary>
    public static string? MainParameterBehind(ArmResource context, string expression)
    {
        var names = MainParametersIn(context, expression);
        Assert.True(names.Count == 1, $"Expected one parameter reference in {expression}.");
        return names[0];
    }

    /// <summary>For each distinct parameters('x') in <paramref name="expression"/>, the main.bicep parameter it leads to (or null).</summary>
    public static IReadOnlyList<string?> MainParametersIn(ArmResource context, string expression) =>
        ParameterReference().Matches(expression)
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .Select(reference =>
            {
                var main = WholeParameter().Match(ArmTemplate.ResolveExpression(context, reference));
                return main.Success && Arm.Root.GetProperty("parameters").TryGetProperty(main.Groups[1].Value, out _)
                    ? main.Groups[1].Value
                    : null;
            })
            .ToList();

    /// <summary>The value of variables('x') in the template that declares <paramref name="context"/>.</summary>
    public static JsonElement Variable(ArmResource context, string name)
    {
        JsonElement value = default;
        var found = context.Template.TryGetProperty("variables", out var variables) && variables.TryGetProperty(name, out value);
        Assert.True(found, $"No variable '{name}' in the template of {context}.");
        return value;
    }

    /// <summary>Resolves the single parameters('x') inside <paramref name="expression"/>.</summary>
    public static string ResolveParameterIn(ArmResource context, string expression, int index = 0)
    {
        var matches = ParameterReference().Matches(expression);
        Assert.True(matches.Count > index, $"No parameter reference #{index} in {expression}.");
        return ArmTemplate.ResolveExpression(context, matches[index].Value);
    }

    /// <summary>Last format() argument of a child resource name such as [format('{0}/{1}/{2}', parameters('name'), 'default', parameters('c'))].</summary>
    public static string ResolveLastNameSegment(ArmResource resource)
    {
        var matches = ParameterReference().Matches(resource.Name);
        Assert.True(matches.Count > 0, $"Name of {resource} has no parameter segment.");
        return ArmTemplate.ResolveExpression(resource, matches[^1].Value);
    }

    [GeneratedRegex(@"parameters\('([^']+)'\)")]
    public static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    public static partial Regex WholeParameter();
}
