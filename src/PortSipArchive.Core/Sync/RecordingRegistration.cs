using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>
/// Registers a run's recordings (Pending rows, queue messages, Enqueued marks: <see cref="RecordingQueueWriter"/>) in the
/// background while the run lists and writes the next chunks. Batches of at most <see cref="SyncWindowArchiver.FlushSize"/>
/// recordings are handed over; at most <see cref="MaxInFlight"/> are registered at once (each has its own steps: status
/// read, rows, queue sends, marks, so several in flight keep both storage services busy), and memory stays bounded.
/// <see cref="HandOverAsync"/> waits for every batch but the one it hands over (throwing the first failure), so after it
/// returns every recording handed over <em>before</em> it is durable; <see cref="CompleteAsync"/> makes everything
/// collected durable. The run uses this to keep its rule: the watermark moves only past chunks whose rows and recordings
/// are durable. Not thread-safe: one producer (the run).
/// </summary>
public sealed class RecordingRegistration(RecordingQueueWriter writer, string source, SyncCounters counters, TimeProvider stopwatch, CancellationToken cancellationToken)
{
    /// <summary>Batches registered at the same time.</summary>
    public const int MaxInFlight = 3;

    private readonly Queue<Task<int>> _inFlight = new();
    private List<PortSipRecordingSummary> _collecting = [];

    /// <summary>Collects a recording; starts registering the batch when it is full (waiting first if too many are in flight).</summary>
    public async Task AddAsync(PortSipRecordingSummary recording)
    {
        _collecting.Add(recording);
        if (_collecting.Count >= SyncWindowArchiver.FlushSize)
        {
            await WaitAsync(keep: MaxInFlight - 1);
            Start();
        }
    }

    /// <summary>Starts registering the collected recordings, then waits for every earlier batch.</summary>
    public async Task HandOverAsync()
    {
        var started = Start();
        await WaitAsync(keep: started ? 1 : 0);
    }

    /// <summary>Starts registering the collected recordings; the task completes when every recording added so far is durable.</summary>
    public Task CheckpointAsync()
    {
        Start();
        return Task.WhenAll(_inFlight.ToArray());
    }

    /// <summary>Registers everything collected and waits for it: all recordings added so far are durable.</summary>
    public async Task CompleteAsync()
    {
        Start();
        await WaitAsync(keep: 0);
    }

    /// <summary>Waits for the batches in flight without registering the collected ones and ignores their failures (after a failure elsewhere).</summary>
    public async Task DrainAsync()
    {
        _collecting = [];
        var all = _inFlight.ToArray();
        _inFlight.Clear();
        await Task.WhenAll(all).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Starts registering the collected recordings; false when there were none.</summary>
    private bool Start()
    {
        if (_collecting.Count == 0)
        {
            return false;
        }

        var batch = _collecting;
        _collecting = [];
        _inFlight.Enqueue(Task.Run(() => writer.RegisterAsync(source, batch, cancellationToken), cancellationToken));
        return true;
    }

    /// <summary>Waits, oldest first, until at most <paramref name="keep"/> batches are in flight.</summary>
    private async Task WaitAsync(int keep)
    {
        while (_inFlight.Count > keep)
        {
            var oldest = _inFlight.Dequeue();
            var started = stopwatch.GetTimestamp();
            try
            {
                counters.RecordingsEnqueued += await oldest;
            }
            finally
            {
                counters.RecordingWaits += stopwatch.GetElapsedTime(started);
            }
        }
    }
}
