using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PortSipArchive.Archive;
using PortSipArchive.Configuration;
using PortSipArchive.PortSip;
using PortSipArchive.Recordings;
using PortSipArchive.Storage;
using PortSipArchive.Sync;

namespace PortSipArchive;

public static class ArchiveServiceCollectionExtensions
{
    /// <summary>
    /// The key of the clock the sync reads "now" from. By default it is the registered <see cref="TimeProvider"/>;
    /// tests replace it with the simulated PBX's clock without touching the HTTP retry delays.
    /// </summary>
    public const string ClockKey = ArchiveClock.Key;

    /// <summary>
    /// Loads and validates every setting now (an <see cref="InvalidSettingException"/> names the bad one) and
    /// registers the PortSIP clients, the archive tables, the CDR sync and the recording archiver.
    /// </summary>
    public static IServiceCollection AddPortSipArchive(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var portSip = PortSipSettings.Load(configuration);
        var sync = SyncSettings.Load(configuration);
        var archive = ArchiveSettings.Load(configuration);
        var storage = StorageConnection.FromConfiguration(configuration);
        var recordings = RecordingSettings.Load(configuration);

        services.AddLogging();
        services.AddPortSip(portSip);
        services.AddSingleton(sync);
        services.AddSingleton(archive);
        services.AddSingleton(storage);
        services.AddSingleton<ArchiveTables>();
        services.AddSingleton(_ => new TableBatchWriter(parallelism: 8));
        services.AddSingleton<RecordingQueueWriter>();
        services.AddSingleton<QuarantineWriter>();
        services.AddSingleton<DailyStatsWriter>();
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<SyncWindowArchiver>();
        services.AddSingleton<SourceSyncRun>();
        services.AddSingleton<CdrSyncService>();
        services.AddSingleton(recordings);
        services.AddSingleton<RecordingContainer>();
        services.AddSingleton<RecordingBlobWriter>();
        services.AddSingleton<RecordingRows>();
        services.AddSingleton<CdrLinker>();
        services.AddSingleton<RecordingArchiver>();
        return services;
    }
}
