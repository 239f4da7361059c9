using System.Globalization;

namespace PortSipArchive.Local;

/// <summary>Options of the local run itself (everything else is a product setting, read like the Functions app reads it).</summary>
internal sealed record LocalOptions(int Calls, int Days, int Seed, TimeSpan SyncInterval, int Port)
{
    public const string Usage = """
        Runs the archive locally: the CDR sync on a schedule against the simulated PBX (or a real one) into Azurite (or real storage).
          --calls N                  calls the simulated PBX generates (default 2000)
          --days N                   days they span, ending now (default 7)
          --seed N                   generator seed (default 42)
          --sync-interval-seconds N  time between sync runs (default 30)
          --port N                   port of the HTTP API on 127.0.0.1 (default 7071; 0 = any free port)
        Product settings come from environment variables (PortSip__BaseUrl, AzureWebJobsStorage, …; see README.md)
        or from arguments such as --PortSip:BaseUrl=https://pbx.example.com:8887.
        """;

    public static (LocalOptions Options, string[] Remaining) Parse(string[] args)
    {
        int calls = 2000, days = 7, seed = 42, interval = 30, port = 7071;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            int Next(string name) =>
                i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                    ? value
                    : throw new ArgumentException($"{name} needs a positive whole number.");
            switch (args[i])
            {
                case "--calls": calls = Next("--calls"); break;
                case "--days": days = Next("--days"); break;
                case "--seed": seed = Next("--seed"); break;
                case "--sync-interval-seconds": interval = Next("--sync-interval-seconds"); break;
                case "--port": port = i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
                    ? p : throw new ArgumentException("--port needs a port number from 0 to 65535."); break;
                default: rest.Add(args[i]); break;
            }
        }

        return (new LocalOptions(calls, days, seed, TimeSpan.FromSeconds(interval), port), [.. rest]);
    }
}
