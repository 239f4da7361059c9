using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>
/// Registers a run's recordings (Pending rows, queue messages, Enqueued marks: <see cref="RecordingQueueWriter"/>) in the
/// background while the run lists and writes the next chunks. At most one batch is in flight and one is being collected
/// (at most <see cref="SyncWindowArchiver.FlushSize"/> recordings before it is handed over), so memory stays bounded.
/// <see cref="HandOverAsync"/> first waits for the batch in flight (throwing its failure), so after it returns every
/// recording handed over <em>before</em> the previous hand-over is durable; <see cref="CompleteAsync"/> makes everything
/// collected durable. The run uses this to keep its rule: the watermark moves only past chunks whose rows and recordings
/// are durable. Not thread-safe: one producer (the run).
/// </summary>
public sealed class RecordingRegistration(RecordingQueueWriter writer, string source, SyncCounters counters, TimeProvider stopwatch, CancellationToken cancellationToken)
{
    private List<PortSipRecordingSummary> _collecting = [];
    private Task<int> _inFlight = Task.FromResult(0);

    /// <summary>Collects a recording; hands the batch over when it is full.</summary>
    public async Task AddAsync(PortSipRecordingSummary recording)
    {
        _collecting.Add(recording);
        if (_collecting.Count >= SyncWindowArchiver.FlushSize)
        {
            await HandOverAsync();
        }
    }

    /// <summary>Waits for the batch in flight, then starts registering the collected recordings in the background.</summary>
    public async Task HandOverAsync()
    {
        await WaitAsync();
        if (_collecting.Count == 0)
        {
            return;
        }

        var batch = _collecting;
        _collecting = [];
        _inFlight = Task.Run(() => writer.RegisterAsync(source, batch, cancellationToken), cancellationToken);
    }

    /// <summary>Registers everything collected and waits for it: all recordings added so far are durable.</summary>
    public async Task CompleteAsync()
    {
        await HandOverAsync();
        await WaitAsync();
    }

    /// <summary>Waits for the batch in flight without handing over the collected ones and ignores its failure (after a failure elsewhere).</summary>
    public async Task DrainAsync()
    {
        var inFlight = _inFlight;
        _inFlight = Task.FromResult(0);
        _collecting = [];
        await inFlight.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task WaitAsync()
    {
        var inFlight = _inFlight;
        if (inFlight.IsCompletedSuccessfully)
        {
            counters.RecordingsEnqueued += await inFlight;
            _inFlight = Task.FromResult(0);
            return;
        }

        var started = stopwatch.GetTimestamp();
        try
        {
            counters.RecordingsEnqueued += await inFlight;
        }
        finally
        {
            _inFlight = Task.FromResult(0);
            counters.RecordingWaits += stopwatch.GetElapsedTime(started);
        }
    }
}
