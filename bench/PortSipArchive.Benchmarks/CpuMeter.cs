using System.Diagnostics;
using PortSipArchive.Local;

namespace PortSipArchive.Benchmarks;

/// <summary>
/// CPU time used during one phase by this process, Azurite (its main process and its queue process) and the simulated
/// PBX: shows which process a phase waits on (one Azurite process can use at most one core: Node runs JavaScript on one thread).
/// </summary>
internal sealed class CpuMeter
{
    private readonly AzuriteProcess _azurite;
    private readonly SimulatorProcess? _pbx;
    private readonly TimeSpan _self;
    private readonly TimeSpan _tables;
    private readonly TimeSpan _queue;
    private readonly TimeSpan _simulator;
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    private CpuMeter(AzuriteProcess azurite, SimulatorProcess? pbx)
    {
        _azurite = azurite;
        _pbx = pbx;
        _self = Process.GetCurrentProcess().TotalProcessorTime;
        _tables = azurite.CpuTime;
        _queue = azurite.QueueCpuTime;
        _simulator = pbx?.CpuTime ?? TimeSpan.Zero;
    }

    public static CpuMeter Start(AzuriteProcess azurite, SimulatorProcess? pbx) => new(azurite, pbx);

    /// <summary>The CPU seconds of each process since <see cref="Start"/>, and each as a share of the wall time.</summary>
    public string Stop()
    {
        var wall = _watch.Elapsed.TotalSeconds;
        string Part(string name, TimeSpan used) => $"{name} {used.TotalSeconds:F1} s ({used.TotalSeconds / wall:P0})";
        var parts = new List<string>
        {
            Part("Azurite tables", _azurite.CpuTime - _tables),
            Part("Azurite queue", _azurite.QueueCpuTime - _queue),
            Part("this process", Process.GetCurrentProcess().TotalProcessorTime - _self),
        };
        if (_pbx is not null)
        {
            parts.Add(Part("simulated PBX", _pbx.CpuTime - _simulator));
        }

        return string.Join(", ", parts) + $" of {wall:F1} s wall";
    }
}
