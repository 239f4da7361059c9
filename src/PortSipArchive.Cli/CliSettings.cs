using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace PortSipArchive.Cli;

/// <summary>
/// The same settings the Functions app reads, from (later wins): environment variables, a settings file
/// (<c>local.settings.json</c> with its <c>Values</c> object, or a flat JSON object), and <c>--set Key=Value</c>.
/// Keys use the app-setting form (<c>PortSip__BaseUrl</c>); <c>__</c> and <c>:</c> both separate sections.
/// </summary>
internal static class CliSettings
{
    public static IConfiguration Build(string? settingsFile, IEnumerable<string> overrides, IDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(Normalize(environment));
        }

        if (settingsFile is not null)
        {
            builder.AddInMemoryCollection(ReadFile(settingsFile));
        }

        var values = new Dictionary<string, string?>();
        foreach (var pair in overrides)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--set expects Key=Value, got '{pair}'.");
            }

            values[pair[..equals]] = pair[(equals + 1)..];
        }

        return builder.AddInMemoryCollection(Normalize(values)).Build();
    }

    private static Dictionary<string, string?> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--settings: the file '{path}' does not exist.");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = doc.RootElement.TryGetProperty("Values", out var nested) ? nested : doc.RootElement;
            return Normalize(root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"--settings: '{path}' is not valid JSON: {ex.Message}", ex);
        }
    }

    private static Dictionary<string, string?> Normalize(IDictionary<string, string?> values) =>
        values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value, StringComparer.OrdinalIgnoreCase);
}
