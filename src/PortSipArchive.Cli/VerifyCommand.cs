using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Verification;
using Spectre.Console;

namespace PortSipArchive.Cli;

/// <summary><c>verify</c>: reconciles the archive with the PBX; exit code 0 only when the range is complete.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(CliContext context, DateTimeOffset from, DateTimeOffset to, string? source, bool json, CancellationToken cancellationToken)
    {
        RangeCheck.Validate(from, to);
        await using var services = context.BuildServices();
        var verifier = ActivatorUtilities.CreateInstance<ArchiveVerifier>(services);
        // With --json, stdout carries only the JSON document: no progress lines.
        var report = json
            ? await verifier.VerifyAsync(from.ToUniversalTime(), to.ToUniversalTime(), source, null, cancellationToken)
            : await ProgressDisplay.RunAsync(context.Console, "Verifying", from, to,
                progress => verifier.VerifyAsync(from.ToUniversalTime(), to.ToUniversalTime(), source, progress, cancellationToken));

        if (json)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                report.From, report.To, report.IsComplete, report.CdrsAtPbx, report.CdrsInArchive, report.RecordingsAtPbx, report.RecordingsVerified,
                report.Findings,
            }, JsonOptions.Indented));
        }
        else
        {
            context.Console.MarkupLine($"{report.CdrsAtPbx:N0} CDRs at the PBX, {report.CdrsInArchive:N0} in the archive; {report.RecordingsVerified:N0} recordings verified (size and SHA-256).");
            if (report.IsComplete)
            {
                context.Console.MarkupLine("[green]Complete:[/] nothing missing, extra or different.");
            }
            else
            {
                var table = new Table().AddColumns("Source", "Finding", "Id", "Detail");
                foreach (var f in report.Findings.Take(200))
                {
                    table.AddRow(Markup.Escape(f.Source), f.Kind, Markup.Escape(f.Id), Markup.Escape(f.Problem));
                }

                context.Console.Write(table);
                context.Console.MarkupLine($"[red]Incomplete:[/] {report.Findings.Count:N0} findings" + (report.Findings.Count > 200 ? " (first 200 shown; --json lists all)." : "."));
            }
        }

        return report.IsComplete ? CliApp.Ok : CliApp.Incomplete;
    }
}
