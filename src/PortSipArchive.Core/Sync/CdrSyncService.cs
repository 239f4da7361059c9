using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>
/// The CDR sync: one run for every configured PortSIP source, in parallel and independent of each other
/// (a failing source is recorded in its state row and logged; the others go on). Called by the timer function.
/// </summary>
public sealed class CdrSyncService(ArchiveTables tables, PortSipClients clients, SourceSyncRun sourceRun, SyncSettings settings, [FromKeyedServices(ArchiveClock.Key)] TimeProvider time)
{
    public async Task<IReadOnlyList<SourceSyncReport>> RunAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var deadline = time.GetUtcNow() + settings.MaxRunTime;
        var runs = clients.Sources.Select(s => sourceRun.RunAsync(s.Name, deadline, cancellationToken));
        return await Task.WhenAll(runs);
    }
}
