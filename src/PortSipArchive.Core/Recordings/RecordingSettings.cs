using Microsoft.Extensions.Configuration;
using PortSipArchive.Archive;
using PortSipArchive.Configuration;

namespace PortSipArchive.Recordings;

/// <summary>
/// The <c>Recordings__*</c> settings. The queue (<c>RECORDINGS_QUEUE</c>) and the container
/// (<c>Archive__RecordingsContainer</c>) are read by <see cref="ArchiveSettings"/>.
/// </summary>
public sealed class RecordingSettings
{
    public const string SectionName = "Recordings";
    public const int MiB = 1024 * 1024;

    /// <summary>Delete the recording on the PBX after a verified archive (default off).</summary>
    public bool DeleteFromPbxAfterArchive { get; init; }

    /// <summary>
    /// The queue's <c>maxDequeueCount</c> (host.json, default 5): the attempt with this dequeue count is the last one,
    /// so a failure then marks the row Failed. Read from the host override
    /// <c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c> when set, else <c>Recordings__MaxDequeueCount</c>.
    /// </summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>Bytes per staged block (default 8 MiB).</summary>
    public int BlockSize { get; init; } = 8 * MiB;

    /// <summary>Blocks being uploaded while the next one fills (default 2).</summary>
    public int BlocksInFlight { get; init; } = 2;

    /// <summary>How far apart a recording's start and its CDR's start may be when matched by caller and callee (default 2 minutes).</summary>
    public TimeSpan MatchWindow { get; init; } = TimeSpan.FromMinutes(2);

    public static RecordingSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reader = new SettingReader(configuration.GetSection(SectionName), SectionName);
        var host = new SettingReader(configuration.GetSection("AzureFunctionsJobHost:extensions:queues"), "AzureFunctionsJobHost__extensions__queues");
        var maxDequeue = host.String("maxDequeueCount") is not null
            ? host.Int("maxDequeueCount", 5, 1, 1000)
            : reader.Int("MaxDequeueCount", 5, 1, 1000);
        return new RecordingSettings
        {
            DeleteFromPbxAfterArchive = reader.Bool("DeleteFromPbxAfterArchive", false),
            MaxDequeueCount = maxDequeue,
            BlockSize = reader.Int("BlockSizeMiB", 8, 1, 100) * MiB,
            BlocksInFlight = reader.Int("BlocksInFlight", 2, 1, 16),
            MatchWindow = TimeSpan.FromSeconds(reader.Int("MatchWindowSeconds", 120, 1, 3600)),
        };
    }
}
