using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PortSipArchive.Local;

/// <summary>
/// Azurite from the repository's node_modules (installed by <c>npm ci</c>), in memory, on ports it picks itself
/// (port 0; read from its output, so parallel instances never race for a port). Killed with its process tree on dispose.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    public const string WellKnownKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly string[] CommonArguments = ["--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry"];
    private readonly Process _process;
    private readonly Process? _queueProcess;

    private AzuriteProcess(Process process, Process? queueProcess, int blob, int queue, int table)
    {
        _process = process;
        _queueProcess = queueProcess;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={WellKnownKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <summary>CPU time the Azurite process (blob, table and, unless it has its own, queue) has used so far.</summary>
    public TimeSpan CpuTime => CpuTimeOf(_process);

    /// <summary>CPU time of the separate queue process (<see cref="TimeSpan.Zero"/> when the queue shares the main process).</summary>
    public TimeSpan QueueCpuTime => _queueProcess is null ? TimeSpan.Zero : CpuTimeOf(_queueProcess);

    /// <param name="extraArguments">More Azurite options, e.g. <c>--extentMemoryLimit 4096</c>.</param>
    /// <param name="queueInOwnProcess">
    /// Serve the queue from a second Node process (Azurite's <c>azurite-queue</c>). Azurite runs all services on one
    /// JavaScript thread, so in one process every queue request delays the table requests; in Azure the services are
    /// separate. The sync benchmark uses this so that it measures the sync, not Azurite's single thread.
    /// </param>
    public static async Task<AzuriteProcess> StartAsync(IEnumerable<string>? extraArguments = null, bool queueInOwnProcess = false, CancellationToken cancellationToken = default)
    {
        var script = FindScript();
        string[] arguments = [.. CommonArguments, "--blobPort", "0", "--queuePort", "0", "--tablePort", "0", .. extraArguments ?? []];
        var (process, ports) = await StartNodeAsync(script, arguments, 3, cancellationToken);
        if (!queueInOwnProcess)
        {
            return new AzuriteProcess(process, null, ports["Blob"], ports["Queue"], ports["Table"]);
        }

        try
        {
            var queueScript = Path.Combine(Path.GetDirectoryName(script)!, "queue", "main.js");
            var (queueProcess, queuePorts) = await StartNodeAsync(queueScript, [.. CommonArguments, "--queuePort", "0"], 1, cancellationToken);
            return new AzuriteProcess(process, queueProcess, ports["Blob"], queuePorts["Queue"], ports["Table"]);
        }
        catch
        {
            await StopAsync(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process);
        _process.Dispose();
        if (_queueProcess is not null)
        {
            await StopAsync(_queueProcess);
            _queueProcess.Dispose();
        }
    }

    private static TimeSpan CpuTimeOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task<(Process Process, Dictionary<string, int> Ports)> StartNodeAsync(
        string script, IEnumerable<string> arguments, int services, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("azurite-").FullName,
        };
        psi.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var ports = new Dictionary<string, int>();
        var log = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
                var match = e.Data is null ? Match.Empty : Listening().Match(e.Data);
                if (match.Success)
                {
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == services)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited: " + log));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await StopAsync(process);
            process.Dispose();
            throw;
        }

        return (process, ports);
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static string FindScript()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("Azurite is not installed: run 'npm ci' at the repository root (it installs the version pinned in package.json).");
    }

    // "is successfully listening at" (azurite), "successfully listens on" (azurite-queue on its own).
    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service (?:is successfully listening at|successfully listens on) http://[^:]+:(\d+)")]
    private static partial Regex Listening();
}
