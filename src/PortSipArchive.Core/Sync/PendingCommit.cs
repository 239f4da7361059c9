namespace PortSipArchive.Sync;

/// <summary>The run's commit that is still finishing in the background (at most one; see <see cref="SourceSyncRun"/>).</summary>
public sealed class PendingCommit
{
    public Task Task { get; set; } = Task.CompletedTask;

    /// <summary>Waits for it and throws its failure.</summary>
    public async Task WaitAsync()
    {
        var task = Task;
        Task = Task.CompletedTask;
        await task;
    }

    /// <summary>Waits for it and ignores its failure (after a failure elsewhere: nothing of the run may go on after it returned).</summary>
    public async Task DrainAsync()
    {
        var task = Task;
        Task = Task.CompletedTask;
        await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
