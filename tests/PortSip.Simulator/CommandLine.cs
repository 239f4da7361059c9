using System.Globalization;

namespace PortSip.Simulator;

/// <summary>
/// Arguments of the runnable simulator:
/// <c>--port 8887 --seed 42 --calls 2000 --days 7 --visibility-delay-seconds 120</c> (all optional).
/// </summary>
public sealed record CommandLine(int Port, int Seed, int Calls, double Days, double VisibilityDelaySeconds, bool ShowHelp)
{
    public const string Usage =
        """
        Usage: dotnet run --project tests/PortSip.Simulator -- [options]
          --port <n>                      TCP port on 127.0.0.1 (default 8887; 0 = any free port)
          --seed <n>                      seed of the generated calls (default 42)
          --calls <n>                     number of calls (default 2000)
          --days <n>                      the calls span this many days, ending now (default 7)
          --visibility-delay-seconds <n>  a CDR is listed this long after it ends (default 120)
          --help                          show this text
        """;

    public static CommandLine Defaults { get; } = new(8887, 42, 2000, 7, 120, false);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        CommandLine result = Defaults;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h" or "-?")
            {
                result = result with { ShowHelp = true };
                continue;
            }

            string value = i + 1 < args.Count
                ? args[++i]
                : throw new ArgumentException($"Option {name} needs a value.", nameof(args));
            result = name switch
            {
                "--port" => result with { Port = Number(name, value, 0, 65535) },
                "--seed" => result with { Seed = Number(name, value, int.MinValue, int.MaxValue) },
                "--calls" => result with { Calls = Number(name, value, 0, 10_000_000) },
                "--days" => result with { Days = Decimal(name, value) },
                "--visibility-delay-seconds" => result with { VisibilityDelaySeconds = Decimal(name, value) },
                _ => throw new ArgumentException($"Unknown option {name}.", nameof(args)),
            };
        }

        return result.Days > 0 ? result : throw new ArgumentException("--days must be more than 0.", nameof(args));
    }

    /// <summary>Simulator options for a run that ends at <paramref name="now"/>.</summary>
    public SimulatorOptions ToOptions(DateTimeOffset now) => new()
    {
        Port = Port,
        VisibilityDelay = TimeSpan.FromSeconds(VisibilityDelaySeconds),
        Generation = new GenerationOptions
        {
            Seed = Seed,
            CallCount = Calls,
            From = now - TimeSpan.FromDays(Days),
            To = now,
        },
    };

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, got '{value}'.", nameof(value));

    private static double Decimal(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0 && double.IsFinite(n)
            ? n
            : throw new ArgumentException($"{name} must be a number of 0 or more, got '{value}'.", nameof(value));
}
