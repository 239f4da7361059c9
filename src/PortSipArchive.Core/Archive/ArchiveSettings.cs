using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using PortSipArchive.Configuration;

namespace PortSipArchive.Archive;

/// <summary>Where the archive lives: the table name prefix, the recordings queue and the recordings container.</summary>
public sealed partial class ArchiveSettings
{
    public const string SectionName = "Archive";
    public const string QueueSettingName = "RECORDINGS_QUEUE";

    public string TablePrefix { get; init; } = "portsip";

    public string RecordingsQueue { get; init; } = "recordings";

    public string RecordingsContainer { get; init; } = "recordings";

    public static ArchiveSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reader = new SettingReader(configuration.GetSection(SectionName), SectionName);
        var prefix = reader.String("TablePrefix") ?? "portsip";
        if (!TablePrefixPattern().IsMatch(prefix))
        {
            throw new InvalidSettingException(reader.NameOf("TablePrefix"), $"'{prefix}' must be 1-40 letters or digits, starting with a letter.");
        }

        var queue = configuration[QueueSettingName];
        queue = string.IsNullOrWhiteSpace(queue) ? "recordings" : queue.Trim();
        if (!ResourceNamePattern().IsMatch(queue) || queue.Contains("--", StringComparison.Ordinal))
        {
            throw new InvalidSettingException(QueueSettingName, $"'{queue}' is not a valid queue name (3-63 lower-case letters, digits or single '-').");
        }

        var container = reader.String("RecordingsContainer") ?? "recordings";
        if (!ResourceNamePattern().IsMatch(container) || container.Contains("--", StringComparison.Ordinal))
        {
            throw new InvalidSettingException(reader.NameOf("RecordingsContainer"), $"'{container}' is not a valid container name (3-63 lower-case letters, digits or single '-').");
        }

        return new ArchiveSettings { TablePrefix = prefix, RecordingsQueue = queue, RecordingsContainer = container };
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TablePrefixPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ResourceNamePattern();
}
