using Microsoft.Extensions.Configuration;
using PortSipArchive.Configuration;

namespace PortSipArchive.Sync;

/// <summary>The <c>Sync__*</c> settings: where the first run starts, the overlap for late CDRs, the per-run budget and the chunking.</summary>
public sealed class SyncSettings
{
    public const string SectionName = "Sync";

    /// <summary>Where a source's first run starts, counted back from now (default 180 days, the PBX's recording retention).</summary>
    public TimeSpan StartBack { get; init; } = TimeSpan.FromDays(180);

    /// <summary>How far before the watermark each run lists again, for CDRs that become visible late (default 30 minutes).</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Wall time after which a run stops between chunks (default 240 s).</summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromSeconds(240);

    /// <summary>PortSIP requests per source and run after which the run stops between chunks (default 2000).</summary>
    public int MaxRequests { get; init; } = 2000;

    /// <summary>The started_at window listed and committed as one unit before the watermark moves (default 60 minutes).</summary>
    public TimeSpan Chunk { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>How far back the long-call sweep looks for calls that ended after the main pass passed them (default 24 hours).</summary>
    public TimeSpan LongCallWindow { get; init; } = TimeSpan.FromHours(24);

    public static SyncSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reader = new SettingReader(configuration.GetSection(SectionName), SectionName);
        return new SyncSettings
        {
            StartBack = TimeSpan.FromDays(reader.Int("StartDaysBack", 180, 1, 1825)),
            Overlap = TimeSpan.FromMinutes(reader.Int("OverlapMinutes", 30, 1, 1440)),
            MaxRunTime = TimeSpan.FromSeconds(reader.Int("MaxRunSeconds", 240, 5, 3600)),
            MaxRequests = reader.Int("MaxRequests", 2000, 5, 10_000_000),
            Chunk = TimeSpan.FromMinutes(reader.Int("ChunkMinutes", 60, 1, 1440)),
            LongCallWindow = TimeSpan.FromHours(reader.Int("LongCallHours", 24, 0, 720)),
        };
    }
}
