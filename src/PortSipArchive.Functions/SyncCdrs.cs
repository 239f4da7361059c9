using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Sync;

namespace PortSipArchive.Functions;

/// <summary>The timer that syncs CDRs (schedule from the SYNC_SCHEDULE app setting, UTC). It only calls the service.</summary>
public sealed class SyncCdrs(CdrSyncService sync)
{
    [Function(nameof(SyncCdrs))]
    public async Task Run([TimerTrigger("%SYNC_SCHEDULE%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        await sync.RunAsync(cancellationToken);
    }
}
