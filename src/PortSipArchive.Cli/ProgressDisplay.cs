using Spectre.Console;

namespace PortSipArchive.Cli;

/// <summary>A progress bar with rate and remaining time over a time range; plain lines when the console is not interactive.</summary>
internal static class ProgressDisplay
{
    /// <param name="detail">Optional text shown after the title on each report (e.g. a rate).</param>
    public static async Task<T> RunAsync<T>(
        IAnsiConsole console, string title, DateTimeOffset from, DateTimeOffset to, Func<IProgress<DateTimeOffset>, Task<T>> work, Func<string>? detail = null)
    {
        var total = Math.Max((to - from).TotalHours, 1);
        if (!console.Profile.Capabilities.Interactive)
        {
            var lastPercent = -10;
            return await work(new InlineProgress<DateTimeOffset>(reached =>
            {
                var percent = (int)(100 * (reached - from).TotalHours / total);
                if (percent >= lastPercent + 10)
                {
                    lastPercent = percent;
                    console.WriteLine($"{title}: {percent}% (up to {reached:u}) {detail?.Invoke()}".TrimEnd());
                }
            }));
        }

        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var caption = $"{title} {from:yyyy-MM-dd} → {to:yyyy-MM-dd}";
                var task = ctx.AddTask(caption, maxValue: total);
                var result = await work(new InlineProgress<DateTimeOffset>(reached =>
                {
                    task.Value = (reached - from).TotalHours;
                    if (detail is not null)
                    {
                        task.Description = $"{caption} {Markup.Escape(detail())}";
                    }
                }));
                task.Value = total;
                return result;
            });
    }
}
