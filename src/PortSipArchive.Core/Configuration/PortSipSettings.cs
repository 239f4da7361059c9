using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace PortSipArchive.Configuration;

/// <summary>
/// The PortSIP sources, read from the <c>PortSip</c> section. A single PBX is configured with
/// <c>PortSip__BaseUrl</c>, <c>PortSip__Username</c>, … and named by <c>PortSip__SourceName</c> (default "main").
/// An MSP lists tenants as <c>PortSip__Sources__&lt;name&gt;__&lt;Key&gt;</c>; each key not given there is taken
/// from the top-level <c>PortSip__&lt;Key&gt;</c>, so shared values are set once.
/// </summary>
public sealed partial class PortSipSettings
{
    public const string SectionName = "PortSip";

    public PortSipSettings(IReadOnlyList<PortSipSourceOptions> sources)
    {
        Sources = sources;
    }

    public IReadOnlyList<PortSipSourceOptions> Sources { get; }

    public PortSipSourceOptions this[string name] =>
        Sources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No PortSIP source named '{name}' is configured.");

    /// <summary>Reads and validates every source; throws <see cref="InvalidSettingException"/> naming the bad setting.</summary>
    public static PortSipSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var root = configuration.GetSection(SectionName);
        var named = root.GetSection("Sources").GetChildren().ToList();
        var sources = new List<PortSipSourceOptions>();
        if (named.Count == 0)
        {
            var reader = new SettingReader(root, SectionName);
            sources.Add(Read(reader, reader.String("SourceName") ?? "main", reader.NameOf("SourceName")));
        }
        else
        {
            foreach (var section in named)
            {
                var reader = new SettingReader(section, $"{SectionName}__Sources__{section.Key}", root);
                sources.Add(Read(reader, section.Key, $"{SectionName}__Sources__{section.Key}"));
            }
        }

        var duplicate = sources.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidSettingException($"{SectionName}__Sources", $"the source name '{duplicate.Key}' is used twice.");
        }

        return new PortSipSettings(sources);
    }

    private static PortSipSourceOptions Read(SettingReader reader, string name, string nameSetting)
    {
        if (!SourceNamePattern().IsMatch(name))
        {
            throw new InvalidSettingException(nameSetting, $"the source name '{name}' must be 1-32 letters, digits or '-', starting with a letter or digit.");
        }

        return new PortSipSourceOptions
        {
            Name = name.ToLowerInvariant(),
            BaseUrl = reader.RequiredHttpUrl("BaseUrl"),
            Username = reader.RequiredString("Username"),
            Password = reader.RequiredString("Password"),
            TenantDomain = reader.String("TenantDomain"),
            LoginStyle = reader.Enum("LoginStyle", LoginStyle.Auto),
            ListMethod = reader.Enum("ListMethod", ListMethod.Get),
            PageSize = reader.Int("PageSize", 100, 1, 100),
            AttemptTimeout = TimeSpan.FromSeconds(reader.Int("AttemptTimeoutSeconds", 30, 1, 600)),
            TotalTimeout = TimeSpan.FromSeconds(reader.Int("TotalTimeoutSeconds", 120, 1, 3600)),
            MaxRetries = reader.Int("MaxRetries", 5, 0, 20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(reader.Int("RetryBaseDelayMilliseconds", 2000, 1, 60_000)),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    private static partial Regex SourceNamePattern();
}
