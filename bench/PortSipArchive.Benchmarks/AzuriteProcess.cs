using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PortSipArchive.Benchmarks;

/// <summary>Azurite from the repository's node_modules, in memory, on ports it picks (read from its output); killed on dispose.</summary>
internal sealed partial class AzuriteProcess : IAsyncDisposable
{
    private const string WellKnownKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private AzuriteProcess(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<AzuriteProcess> StartAsync()
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory.CreateTempSubdirectory("azurite-").FullName };
        foreach (var arg in new[] { FindScript(), "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--blobPort", "0", "--queuePort", "0", "--tablePort", "0" })
        {
            psi.ArgumentList.Add(arg);
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
                var m = e.Data is null ? Match.Empty : Listening().Match(e.Data);
                if (m.Success)
                {
                    ports[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
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
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Azurite exited: {log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new AzuriteProcess(process,
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={WellKnownKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports["Blob"]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports["Queue"]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports["Table"]}/devstoreaccount1;");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("node_modules/azurite not found: run 'npm ci' at the repository root.");
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://[^:]+:(\d+)")]
    private static partial Regex Listening();
}
