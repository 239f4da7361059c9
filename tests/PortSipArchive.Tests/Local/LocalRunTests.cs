using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortSipArchive.Cli;

namespace PortSipArchive.Tests.Local;

/// <summary>
/// The local run as a user starts it: a separate process that starts its own Azurite and simulated PBX. Within a
/// bounded time the archive must hold every CDR and recording of the simulated days (checked by the CLI's verify against
/// the same PBX and storage), the HTTP API on localhost must answer with them, and SIGINT (Ctrl+C) must stop
/// everything it started.
/// </summary>
public sealed partial class LocalRunTests
{
    [Fact]
    public async Task Local_run_archives_the_simulated_days_serves_them_and_stops_cleanly_on_ctrl_c()
    {
        using var process = StartLocalRun("--calls", "150", "--days", "2", "--sync-interval-seconds", "3", "--port", "0");
        var lines = new List<string>();
        var urls = new TaskCompletionSource<(string Pbx, string Storage, string Api)>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? pbx = null, storage = null;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            pbx ??= Match(SimulatedPbxLine(), e.Data);
            storage ??= Match(AzuriteLine(), e.Data);
            if (Match(ApiLine(), e.Data) is { } api && pbx is not null && storage is not null)
            {
                urls.TrySetResult((pbx, storage, api));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (lines)
            {
                lines.Add("stderr: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var (pbxUrl, connection, apiUrl) = await urls.Task.WaitAsync(TimeSpan.FromSeconds(90));
            var azuriteChildren = ChildProcesses(process.Id).Where(p => p.Args.Contains("azurite", StringComparison.Ordinal)).ToList();
            Assert.Single(azuriteChildren);

            // Calls of the last minutes may still be in progress; verify the range up to 10 minutes ago.
            var to = DateTimeOffset.UtcNow.AddMinutes(-10);
            var from = to.AddDays(-2).AddHours(-1);
            var environment = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connection,
                ["PortSip__SourceName"] = "demo",
                ["PortSip__BaseUrl"] = pbxUrl,
                ["PortSip__Username"] = "admin",
                ["PortSip__Password"] = "admin-secret",
                ["PortSip__TenantDomain"] = "sim.portsip.local",
            };
            string report = string.Empty, problems = string.Empty;
            var deadline = DateTimeOffset.UtcNow.AddSeconds(120);
            int code;
            do
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                using var output = new StringWriter();
                using var error = new StringWriter();
                code = await CliApp.RunAsync(["verify", "--from", from.ToString("O"), "--to", to.ToString("O"), "--json"], output, error, CancellationToken.None, environment);
                report = output.ToString();
                problems = error.ToString();
            }
            while (code != CliApp.Ok && DateTimeOffset.UtcNow < deadline);

            Assert.True(code == CliApp.Ok, "the archive did not become complete in time: " + report + problems + string.Join('\n', lines.TakeLast(30)));
            using var verified = JsonDocument.Parse(report);
            var cdrsAtPbx = verified.RootElement.GetProperty("cdrsAtPbx").GetInt64();
            Assert.True(cdrsAtPbx > 50, report);
            Assert.True(verified.RootElement.GetProperty("recordingsVerified").GetInt64() > 20, report);

            // The API on localhost answers with the same CDRs, following nextLink as a client would.
            using var http = new HttpClient();
            var ids = new HashSet<string>();
            for (Uri? next = new($"{apiUrl}/api/cdrs?from={from.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}&to={to.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}&pageSize=40"); next is not null;)
            {
                using var page = JsonDocument.Parse(await http.GetStringAsync(next));
                foreach (var row in page.RootElement.GetProperty("value").EnumerateArray())
                {
                    Assert.True(ids.Add(row.GetProperty("id").GetString()!));
                }

                next = page.RootElement.TryGetProperty("nextLink", out var link) ? new Uri(link.GetString()!) : null;
            }

            Assert.Equal(cdrsAtPbx, ids.Count);
            using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(apiUrl + "/api/status")));
            Assert.Equal("Success", status.RootElement.GetProperty("sources")[0].GetProperty("lastRunOutcome").GetString());

            // Ctrl+C: the run stops and takes Azurite with it.
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);
            Assert.Equal(0, process.ExitCode);
            await Task.Delay(500);
            Assert.All(azuriteChildren, child => Assert.False(File.Exists($"/proc/{child.Pid}/stat") && !IsZombie(child.Pid), $"Azurite {child.Pid} survived"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartLocalRun(params string[] args)
    {
        // The local run's own build output (same configuration as this test assembly).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PortSipFunctions.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "src", "PortSipArchive.Local", "bin", configuration, "net10.0", "PortSipArchive.Local.dll");
        Assert.True(File.Exists(dll), $"build the solution first: {dll} is missing");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PortSip__", StringComparison.Ordinal) || k.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        return Process.Start(psi)!;
    }

    private static string? Match(Regex regex, string line) => regex.Match(line) is { Success: true } m ? m.Groups[1].Value.TrimEnd('/') : null;

    private static List<(int Pid, string Args)> ChildProcesses(int parent) =>
        [.. Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit))
            .Select(int.Parse).Where(pid => ParentOf(pid) == parent)
            .Select(pid => (pid, File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') : string.Empty))];

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"^Simulated PBX: (http://\S+)")]
    private static partial Regex SimulatedPbxLine();

    [GeneratedRegex(@"^Azurite: (\S+)")]
    private static partial Regex AzuriteLine();

    [GeneratedRegex(@"^HTTP API on (http://\S+)")]
    private static partial Regex ApiLine();
}
