using System.Diagnostics;

namespace PortSipArchive.Infra.Tests;

/// <summary>Paths in the repository, and the compiled template (built by infra/check.sh when needed).</summary>
internal static class Repo
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string CompiledTemplatePath => PathOf("artifacts", "infra", "main.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortSipFunctions.sln")) && Directory.Exists(Path.Combine(dir.FullName, "infra")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (PortSipFunctions.sln next to infra/) above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Returns the compiled ARM template, running infra/check.sh first when it is missing or older than
    /// a Bicep source, so the tests also work on their own (CI runs check.sh before dotnet test).
    /// </summary>
    public static string EnsureCompiledTemplate()
    {
        var compiled = new FileInfo(CompiledTemplatePath);
        if (!compiled.Exists || IsStale(compiled.LastWriteTimeUtc))
        {
            RunCheckScript();
        }

        return CompiledTemplatePath;
    }

    private static bool IsStale(DateTime compiledAtUtc)
    {
        var sources = Directory.EnumerateFiles(PathOf("infra"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bicep-cli{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return sources.Any(f => File.GetLastWriteTimeUtc(f) > compiledAtUtc);
    }

    private static void RunCheckScript()
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(PathOf("infra", "check.sh"));

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash infra/check.sh.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(CompiledTemplatePath))
        {
            throw new InvalidOperationException(
                $"bash infra/check.sh failed (exit {process.ExitCode}):{Environment.NewLine}{stdout}{stderr.GetAwaiter().GetResult()}");
        }
    }
}
