using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortSipArchive.Sync;

namespace PortSipArchive.Local;

/// <summary>Runs the same <see cref="CdrSyncService"/> the timer function calls, on a fixed interval.</summary>
internal sealed partial class LocalSyncLoop(CdrSyncService sync, LocalOptions options, TimeProvider time, ILogger<LocalSyncLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SyncInterval, time);
        do
        {
            try
            {
                // Each source's run logs its own report (outcome, counts, watermark).
                await sync.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
