using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using Spectre.Console;

namespace PortSipArchive.Cli;

/// <summary><c>status</c>: each source's sync state (last run, outcome, watermark, lag, account reach).</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(CliContext context, bool json, CancellationToken cancellationToken)
    {
        await using var services = context.BuildServices();
        var states = services.GetRequiredService<SyncStateStore>();
        var now = TimeProvider.System.GetUtcNow();
        var rows = new List<SourceStatus>();
        foreach (var source in services.GetRequiredService<PortSipClients>().Sources)
        {
            var s = await states.ReadAsync(source.Name, cancellationToken);
            rows.Add(new SourceStatus(source.Name, s.LastRunStarted, s.LastRunEnded, s.LastRunOutcome, s.Watermark,
                s.Watermark is { } w ? now - w : null, s.LastRunError, s.AccountReach));
        }

        if (json)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(rows, JsonOptions.Indented));
            return CliApp.Ok;
        }

        var table = new Table().AddColumns("Source", "Last run", "Outcome", "Watermark", "Lag", "Last error", "Account");
        foreach (var r in rows)
        {
            table.AddRow(Markup.Escape(r.Source), $"{r.LastRunStarted:u}", r.LastRunOutcome ?? "never", $"{r.Watermark:u}",
                r.Lag is { } lag ? $"{lag.TotalMinutes:N0} min" : "-", Markup.Escape(r.LastRunError ?? string.Empty), Markup.Escape(r.AccountReach ?? string.Empty));
        }

        context.Console.Write(table);
        return CliApp.Ok;
    }

    private sealed record SourceStatus(
        string Source, DateTimeOffset? LastRunStarted, DateTimeOffset? LastRunEnded, string? LastRunOutcome, DateTimeOffset? Watermark,
        TimeSpan? Lag, string? LastRunError, string? AccountReach);
}

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
