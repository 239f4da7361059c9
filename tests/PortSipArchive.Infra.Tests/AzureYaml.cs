namespace PortSipArchive.Infra.Tests;

/// <summary>
/// Just enough of azure.yaml for the tests: the top-level name and each service's scalar properties.
/// (Block mappings with "key: value" scalars only; no YAML package needed for this file.)
/// </summary>
internal sealed class AzureYaml
{
    private AzureYaml(string? name, Dictionary<string, Dictionary<string, string>> services)
    {
        Name = name;
        Services = services;
    }

    public string? Name { get; }

    public IReadOnlyDictionary<string, Dictionary<string, string>> Services { get; }

    public static AzureYaml Load(string path)
    {
        string? name = null;
        var services = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var inServices = false;
        var serviceIndent = -1;
        Dictionary<string, string>? current = null;

        foreach (var raw in File.ReadLines(path))
        {
            var line = StripComment(raw).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var (key, value) = SplitKeyValue(line.Trim());
            if (indent == 0)
            {
                inServices = key == "services";
                current = null;
                serviceIndent = -1;
                if (key == "name")
                {
                    name = value;
                }

                continue;
            }

            if (!inServices)
            {
                continue;
            }

            if (serviceIndent < 0 || indent == serviceIndent)
            {
                serviceIndent = indent;
                current = [];
                services[key] = current;
            }
            else if (current is not null && indent > serviceIndent && value.Length > 0)
            {
                current.TryAdd(key, value);
            }
        }

        return new AzureYaml(name, services);
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf(" #", StringComparison.Ordinal);
        if (line.TrimStart().StartsWith('#'))
        {
            return string.Empty;
        }

        return hash >= 0 ? line[..hash] : line;
    }

    private static (string Key, string Value) SplitKeyValue(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (text, string.Empty);
        }

        var value = text[(colon + 1)..].Trim();
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
        {
            value = value[1..^1];
        }

        return (text[..colon].Trim(), value);
    }
}
