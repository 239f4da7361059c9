namespace PortSipArchive.Api;

/// <summary>What the API read from Table Storage since start: partition queries and entities (for the benchmark and diagnostics).</summary>
public sealed class ApiReadCounter
{
    private long _rows;
    private long _partitions;

    public long Rows => Interlocked.Read(ref _rows);

    public long Partitions => Interlocked.Read(ref _partitions);

    public void AddRows(long count) => Interlocked.Add(ref _rows, count);

    public void AddPartition() => Interlocked.Increment(ref _partitions);

    public void Reset()
    {
        Interlocked.Exchange(ref _rows, 0);
        Interlocked.Exchange(ref _partitions, 0);
    }
}
