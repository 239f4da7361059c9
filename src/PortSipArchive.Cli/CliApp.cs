using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortSipArchive.Configuration;
using Spectre.Console;

namespace PortSipArchive.Cli;

/// <summary>
/// The admin CLI: <c>sync</c>, <c>backfill</c>, <c>verify</c> and <c>status</c> over the same settings and the same
/// library services as the Functions app. Exit codes: 0 done (verify: range complete), 1 failed or incomplete,
/// 2 bad command line, 3 bad settings.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Incomplete = 1;
    public const int Usage = 2;
    public const int BadSettings = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken, IDictionary<string, string?>? environment = null)
    {
        var settingsOption = new Option<string?>("--settings") { Description = "A settings file: local.settings.json (its Values) or a flat JSON object." };
        var setOption = new Option<string[]>("--set") { Description = "Override a setting: --set PortSip__BaseUrl=https://pbx:8887 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var sourceOption = new Option<string?>("--source") { Description = "Only this PortSIP source (default: all)." };
        var fromOption = new Option<DateTimeOffset>("--from") { Description = "Start of the range (ISO 8601, UTC).", Required = true };
        var toOption = new Option<DateTimeOffset>("--to") { Description = "End of the range, exclusive (ISO 8601, UTC).", Required = true };
        var jsonOption = new Option<bool>("--json") { Description = "Write the result as JSON." };
        var parallelOption = new Option<int>("--parallel") { Description = "Recordings downloaded at once (1-16).", DefaultValueFactory = _ => 4 };

        var root = new RootCommand("PortSIP Call Archive: admin commands over the same settings as the Functions app.");
        root.Options.Add(settingsOption);
        root.Options.Add(setOption);
        var console = CreateConsole(output);

        CliContext Context(ParseResult result) => new(
            CliSettings.Build(result.GetValue(settingsOption), result.GetValue(setOption) ?? [], environment), console, output, error);

        var sync = new Command("sync", "One sync run (CDRs and recording registration) for one or all sources.") { sourceOption };
        sync.SetAction((result, ct) => Guard(error, () => SyncCommand.RunAsync(Context(result), result.GetValue(sourceOption), ct)));

        var backfill = new Command("backfill", "Archive a historical range (up to 5 years), resumable, with recordings.") { fromOption, toOption, sourceOption, parallelOption };
        backfill.SetAction((result, ct) => Guard(error, () => BackfillCommand.RunAsync(
            Context(result), result.GetValue(fromOption), result.GetValue(toOption), result.GetValue(sourceOption), result.GetValue(parallelOption), ct)));

        var verify = new Command("verify", "Reconcile the archive with the PBX for a range; exit code 0 only when complete.") { fromOption, toOption, sourceOption, jsonOption };
        verify.SetAction((result, ct) => Guard(error, () => VerifyCommand.RunAsync(
            Context(result), result.GetValue(fromOption), result.GetValue(toOption), result.GetValue(sourceOption), result.GetValue(jsonOption), ct)));

        var status = new Command("status", "Sync health per source, as /api/status shows it.") { jsonOption };
        status.SetAction((result, ct) => Guard(error, () => StatusCommand.RunAsync(Context(result), result.GetValue(jsonOption), ct)));

        root.Subcommands.Add(sync);
        root.Subcommands.Add(backfill);
        root.Subcommands.Add(verify);
        root.Subcommands.Add(status);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            return Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static async Task<int> Guard(TextWriter error, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (InvalidSettingException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return BadSettings;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return Usage;
        }
    }

    private static IAnsiConsole CreateConsole(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors });
}

/// <summary>What every command gets: validated settings turned into services, and where to write.</summary>
internal sealed class CliContext(IConfiguration configuration, IAnsiConsole console, TextWriter output, TextWriter error)
{
    public IAnsiConsole Console { get; } = console;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Validates every setting (an <see cref="InvalidSettingException"/> names the bad one) and builds the services.</summary>
    public ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Error).AddFilter("Polly", LogLevel.Error));
        services.AddPortSipArchive(configuration);
        return services.BuildServiceProvider();
    }
}
