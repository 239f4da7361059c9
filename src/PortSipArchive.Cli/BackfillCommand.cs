using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Backfill;
using Spectre.Console;

namespace PortSipArchive.Cli;

/// <summary><c>backfill</c>: archives a historical range day by day, resumable, with progress, rate and ETA.</summary>
internal static class BackfillCommand
{
    public static async Task<int> RunAsync(CliContext context, DateTimeOffset from, DateTimeOffset to, string? source, int parallel, CancellationToken cancellationToken)
    {
        RangeCheck.Validate(from, to);
        if (parallel is < 1 or > 16)
        {
            throw new ArgumentException("--parallel must be from 1 to 16.");
        }

        await using var services = context.BuildServices();
        var backfill = ActivatorUtilities.CreateInstance<BackfillService>(services);
        var started = TimeProvider.System.GetTimestamp();
        BackfillProgress? last = null;
        string Rate()
        {
            var seconds = Math.Max(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 0.001);
            return last is null ? string.Empty : $"{last.Cdrs / seconds:N0} CDRs/s, {last.RecordingsArchived / seconds:N1} recordings/s";
        }

        var results = await ProgressDisplay.RunAsync(context.Console, "Backfill", from, to, reached =>
            backfill.RunAsync(from, to, source, parallel, new InlineProgress<BackfillProgress>(p =>
            {
                last = p;
                reached.Report(p.DoneUntil);
            }), cancellationToken), Rate);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        var table = new Table().AddColumns("Source", "Done until", "CDRs written", "Recordings archived", "Recordings failed", "CDRs/s");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Source), $"{r.DoneUntil:u}", $"{r.Cdrs:N0}", $"{r.RecordingsArchived:N0}", $"{r.RecordingsFailed:N0}",
                $"{r.Cdrs / Math.Max(elapsed.TotalSeconds, 0.001):N0}");
        }

        context.Console.Write(table);
        if (results.Any(r => r.RecordingsFailed > 0))
        {
            context.Console.MarkupLine("[yellow]Some recordings failed; they stay queued for the recording function. Run 'verify' for the range to see what is missing.[/]");
            return CliApp.Incomplete;
        }

        return CliApp.Ok;
    }
}
