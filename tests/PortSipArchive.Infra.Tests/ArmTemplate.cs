using System.Text.Json;
using System.Text.RegularExpressions;

namespace PortSipArchive.Infra.Tests;

/// <summary>
/// The compiled ARM template of infra/main.bicep with every resource of every nested deployment
/// (Bicep modules compile to Microsoft.Resources/deployments with an inline template).
/// Expressions stay ARM expression strings; <see cref="Resolve(ArmResource, JsonElement)"/> follows
/// parameters('x') into the deployment that passes them and variables('x') into the template.
/// </summary>
internal sealed partial class ArmTemplate
{
    private static readonly Lazy<ArmTemplate> LazyMain = new(() => Load(Repo.EnsureCompiledTemplate()));

    private ArmTemplate(string text)
    {
        Text = text;
        Root = JsonDocument.Parse(text).RootElement;
        var resources = new List<ArmResource>();
        Collect(Root, null, resources);
        Resources = resources;
    }

    public static ArmTemplate Main => LazyMain.Value;

    /// <summary>The whole template as text, for "this never appears anywhere" checks.</summary>
    public string Text { get; }

    public JsonElement Root { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public static ArmTemplate Load(string path) => new(File.ReadAllText(path));

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ArmResource Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The module deployment whose template declares a resource of <paramref name="type"/>.</summary>
    public ArmResource DeploymentDeclaring(string type) =>
        Single(type).Deployment ?? throw new InvalidOperationException($"{type} is not inside a module.");

    /// <summary>Main template parameter definition.</summary>
    public JsonElement Parameter(string name)
    {
        Assert.True(Root.GetProperty("parameters").TryGetProperty(name, out var p), $"main.bicep has no parameter '{name}'.");
        return p;
    }

    /// <summary>Resolves a value found in <paramref name="context"/>'s template.</summary>
    public static JsonElement Resolve(ArmResource context, JsonElement value) =>
        Resolve(context.Template, context.Deployment, value);

    /// <summary>Resolves an expression body (without brackets) such as parameters('x').</summary>
    public static string ResolveExpression(ArmResource context, string expressionBody) =>
        AsText(Resolve(context, JsonSerializer.SerializeToElement($"[{expressionBody}]")));

    public static string ResolveText(ArmResource context, JsonElement value) => AsText(Resolve(context, value));

    public static string AsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static JsonElement Resolve(JsonElement template, ArmResource? deployment, JsonElement value)
    {
        for (var guard = 0; guard < 32; guard++)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return value;
            }

            var text = value.GetString()!;
            var parameter = WholeParameter().Match(text);
            if (parameter.Success
                && deployment is not null
                && deployment.Json.GetProperty("properties").TryGetProperty("parameters", out var passed)
                && passed.TryGetProperty(parameter.Groups[1].Value, out var argument)
                && argument.TryGetProperty("value", out var argumentValue))
            {
                value = argumentValue;
                template = deployment.Template;
                deployment = deployment.Deployment;
                continue;
            }

            var variable = WholeVariable().Match(text);
            if (variable.Success
                && template.TryGetProperty("variables", out var variables)
                && variables.TryGetProperty(variable.Groups[1].Value, out var variableValue))
            {
                value = variableValue;
                continue;
            }

            var expanded = ExpandVariableMembers(template, text);
            if (!string.Equals(expanded, text, StringComparison.Ordinal))
            {
                value = JsonSerializer.SerializeToElement(expanded);
                continue;
            }

            return value;
        }

        throw new InvalidOperationException("Resolution did not terminate.");
    }

    /// <summary>Replaces variables('x').y (and variables('x') that hold a plain string) with the literal.</summary>
    private static string ExpandVariableMembers(JsonElement template, string text)
    {
        if (!text.StartsWith('[') || !template.TryGetProperty("variables", out var variables))
        {
            return text;
        }

        return VariableMember().Replace(text, m =>
        {
            if (!TryGetVariable(variables, m.Groups["name"].Value, out var v))
            {
                return m.Value;
            }

            if (m.Groups["member"].Success)
            {
                return v.ValueKind == JsonValueKind.Object
                       && v.TryGetProperty(m.Groups["member"].Value, out var member)
                       && member.ValueKind == JsonValueKind.String
                       && !member.GetString()!.StartsWith('[')
                    ? Quote(member.GetString()!)
                    : m.Value;
            }

            return v.ValueKind == JsonValueKind.String && !v.GetString()!.StartsWith('[') ? Quote(v.GetString()!) : m.Value;
        });
    }

    /// <summary>Looks up a variable, following aliases such as "abbrs": "[variables('$fxv#0')]".</summary>
    private static bool TryGetVariable(JsonElement variables, string name, out JsonElement value)
    {
        for (var guard = 0; guard < 16 && variables.TryGetProperty(name, out value); guard++)
        {
            var alias = value.ValueKind == JsonValueKind.String ? WholeVariable().Match(value.GetString()!) : Match.Empty;
            if (!alias.Success)
            {
                return true;
            }

            name = alias.Groups[1].Value;
        }

        value = default;
        return false;
    }

    private static string Quote(string literal) => $"'{literal.Replace("'", "''", StringComparison.Ordinal)}'";

    private static void Collect(JsonElement template, ArmResource? deployment, List<ArmResource> into)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return;
        }

        // Bicep emits an array, or an object keyed by symbolic name with languageVersion 2.0.
        var items = resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().ToList()
            : resources.EnumerateObject().Select(p => p.Value).ToList();
        foreach (var item in items)
        {
            var resource = new ArmResource(item, template, deployment);
            into.Add(resource);
            if (string.Equals(resource.Type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && item.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var inner))
            {
                Collect(inner, resource, into);
            }
        }
    }

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex WholeParameter();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex WholeVariable();

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)(\.(?<member>[A-Za-z_][A-Za-z0-9_]*))?")]
    private static partial Regex VariableMember();
}

/// <summary>One resource of the compiled template, with the template that declares it.</summary>
internal sealed class ArmResource(JsonElement json, JsonElement template, ArmResource? deployment)
{
    public JsonElement Json { get; } = json;

    /// <summary>The (nested) template that declares this resource.</summary>
    public JsonElement Template { get; } = template;

    /// <summary>The module deployment whose template declares this resource; null in main.bicep.</summary>
    public ArmResource? Deployment { get; } = deployment;

    public string Type => Json.GetProperty("type").GetString()!;

    public string Name => Json.GetProperty("name").GetString()!;

    /// <summary>Property at a dotted path, e.g. "properties.siteConfig.minTlsVersion"; fails the test if absent.</summary>
    public JsonElement At(string path)
    {
        Assert.True(TryAt(path, out var value), $"{Type} '{Name}' has no {path}.");
        return value;
    }

    public bool TryAt(string path, out JsonElement value)
    {
        value = Json;
        foreach (var part in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
            {
                return false;
            }
        }

        return true;
    }

    public string Text(string path) => ArmTemplate.AsText(At(path));

    /// <summary>The value at <paramref name="path"/>, followed through parameters and variables.</summary>
    public string Resolved(string path) => ArmTemplate.ResolveText(this, At(path));

    public string Resolved(JsonElement value) => ArmTemplate.ResolveText(this, value);

    /// <summary>Output <paramref name="name"/> of this module deployment's template.</summary>
    public string OutputValue(string name)
    {
        var template = Json.GetProperty("properties").GetProperty("template");
        JsonElement output = default;
        var found = template.TryGetProperty("outputs", out var outputs) && outputs.TryGetProperty(name, out output);
        Assert.True(found, $"Module '{Name}' has no output '{name}'.");
        return ArmTemplate.AsText(output.GetProperty("value"));
    }

    public override string ToString() => $"{Type} {Name}";
}
