using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Archive;
using PortSipArchive.Sync;
using Spectre.Console;

namespace PortSipArchive.Cli;

/// <summary><c>sync</c>: one run of the same sync the timer function calls, for one or all sources.</summary>
internal static class SyncCommand
{
    public static async Task<int> RunAsync(CliContext context, string? source, CancellationToken cancellationToken)
    {
        await using var services = context.BuildServices();
        IReadOnlyList<SourceSyncReport> reports;
        if (source is null)
        {
            reports = await services.GetRequiredService<CdrSyncService>().RunAsync(cancellationToken);
        }
        else
        {
            await services.GetRequiredService<ArchiveTables>().EnsureCreatedAsync(cancellationToken);
            var deadline = TimeProvider.System.GetUtcNow() + services.GetRequiredService<SyncSettings>().MaxRunTime;
            reports = [await services.GetRequiredService<SourceSyncRun>().RunAsync(source, deadline, cancellationToken)];
        }

        var table = new Table().AddColumns("Source", "Outcome", "CDRs written", "Recordings queued", "Quarantined", "Requests", "Watermark", "Error");
        foreach (var r in reports)
        {
            table.AddRow(Markup.Escape(r.Source), r.Outcome, $"{r.CdrsWritten:N0}", $"{r.RecordingsEnqueued:N0}", $"{r.Quarantined:N0}",
                $"{r.Requests:N0}", $"{r.Watermark:u}", Markup.Escape(r.Error ?? string.Empty));
        }

        context.Console.Write(table);
        return reports.All(r => r.Outcome != SyncOutcome.Failed) ? CliApp.Ok : CliApp.Incomplete;
    }
}
