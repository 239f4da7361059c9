using System.Runtime.InteropServices;

namespace PortSip.Simulator;

/// <summary>Runs a simulated PBX until Ctrl+C (see README.md).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CommandLine command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + CommandLine.Usage);
            return 2;
        }

        if (command.ShowHelp)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        SimulatorOptions options = command.ToOptions(DateTimeOffset.UtcNow);
        await using SimulatedPbx pbx = await SimulatedPbx.StartAsync(options, stop.Token);
        PrintBanner(pbx, command);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping.");
        }

        return 0;
    }

    private static void PrintBanner(SimulatedPbx pbx, CommandLine command)
    {
        Console.WriteLine($"Simulated PortSIP PBX listening on {pbx.BaseUrl} (API under {pbx.BaseUrl}api)");
        Console.WriteLine(
            $"{pbx.Data.Cdrs.Count} CDRs and {pbx.Data.Recordings.Count} recordings over the last {command.Days} days "
            + $"(seed {command.Seed}); a CDR is listed {command.VisibilityDelaySeconds} s after it ends.");
        Console.WriteLine("Accounts:");
        foreach (SimAccount account in pbx.Accounts)
        {
            Console.WriteLine($"  {account.Role,-12} username={account.Username} password={account.Password} domain={account.Domain ?? "(none)"}"
                + (account.Extension is null ? "" : $" extension={account.Extension}"));
        }

        Console.WriteLine("Try:");
        Console.WriteLine($"  curl -s -X POST {pbx.BaseUrl}api/auth/sign_in -H 'Content-Type: application/json' "
            + $"-d '{{\"username\":\"admin\",\"password\":\"admin-secret\",\"domain\":\"{pbx.Options.TenantDomain}\"}}'");
        Console.WriteLine($"  curl -s -H 'Authorization: Bearer <access_token>' '{pbx.BaseUrl}api/cdrs?top=3&count=true'");
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
