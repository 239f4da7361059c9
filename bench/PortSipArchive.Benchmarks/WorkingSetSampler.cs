namespace PortSipArchive.Benchmarks;

/// <summary>Samples <see cref="Environment.WorkingSet"/> every 20 ms and keeps the peak of the current phase.</summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public WorkingSetSampler() => _timer = new Timer(_ => Sample(), null, 0, 20);

    public long PeakBytes => Interlocked.Read(ref _peak);

    public void Reset()
    {
        GC.Collect();
        Interlocked.Exchange(ref _peak, Environment.WorkingSet);
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = Environment.WorkingSet;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
