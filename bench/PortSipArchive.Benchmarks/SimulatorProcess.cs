using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PortSipArchive.Benchmarks;

/// <summary>
/// The simulated PBX as a child process (PortSip.Simulator.dll next to the benchmark), so its data and CPU are not
/// counted in the sync's working set. Its calls span the last <c>days</c> days of the real clock; killed on dispose.
/// </summary>
internal sealed partial class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>CPU time the simulated PBX has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<SimulatorProcess> StartAsync(int seed, int calls, int days)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "exec", Path.Combine(AppContext.BaseDirectory, "PortSip.Simulator.dll"), "--port", "0", "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--calls", calls.ToString(CultureInfo.InvariantCulture), "--days", days.ToString(CultureInfo.InvariantCulture),
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var log = new StringBuilder();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
                var m = e.Data is null ? Match.Empty : Listening().Match(e.Data);
                if (m.Success)
                {
                    ready.TrySetResult(new Uri(m.Groups[1].Value));
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
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Simulator exited: {log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var baseUrl = await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
        return new SimulatorProcess(process, baseUrl);
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

    [GeneratedRegex(@"listening on (http://\S+/)")]
    private static partial Regex Listening();
}
