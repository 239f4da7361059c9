using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>What one source's run did.</summary>
public sealed record SourceSyncReport(
    string Source, string Outcome, string? Error, DateTimeOffset? Watermark, DateTimeOffset? SweptUntil,
    long CdrsWritten, long RecordingsEnqueued, long Quarantined, int Requests)
{
    public DateTimeOffset RunStarted { get; init; }

    /// <summary>The run's counts and where its time went.</summary>
    public SyncCounters? Counters { get; init; }
}

/// <summary>
/// One run for one source (see docs/sync-design.md): the main pass archives started_at chunks from
/// Watermark − Overlap up to the run's start and moves the watermark after each committed chunk; once caught up,
/// the long-call sweep lists [SweptUntil − LongCallHours, old Watermark − Overlap) again and writes what ended since
/// SweptUntil − Overlap. The run stops between chunks when its budget (wall time, PortSIP requests) is spent.
/// CDR rows go through one <see cref="TableWriteBuffer"/> per run, committed (flushed, then the watermark and the dirty
/// days saved together) every <see cref="SyncWindowArchiver.CommitRows"/> rows. Recordings are registered in the background
/// (<see cref="RecordingRegistration"/>) while the next chunks are listed; a commit waits for the registration handed over
/// at the previous commit, so the watermark it saves is the previous commit's chunk end (the last one of a pass waits for
/// everything and saves its own). Daily aggregates are recomputed once per day and run: when the pass has left the day,
/// and for the remaining dirty days at the end of the run.
/// </summary>
public sealed partial class SourceSyncRun(
    PortSipClients clients, SyncStateStore states, SyncWindowArchiver archiver, TableBatchWriter writer, DailyStatsWriter stats, RecordingQueueWriter recordingWriter,
    SyncSettings settings, [FromKeyedServices(ArchiveClock.Key)] TimeProvider time, TimeProvider stopwatch, ILogger<SourceSyncRun> logger)
{
    public async Task<SourceSyncReport> RunAsync(string source, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var client = clients[source];
        source = client.SourceName;
        var state = await states.ReadAsync(source, cancellationToken);
        var runStart = time.GetUtcNow();
        var requestsAtStart = client.RequestCount;
        var counters = new SyncCounters();
        state.LastRunStarted = runStart;
        bool BudgetSpent() => time.GetUtcNow() >= deadline || client.RequestCount - requestsAtStart >= settings.MaxRequests;
        string outcome;
        string? error = null;
        var buffer = SyncWindowArchiver.CreateCdrBuffer(writer);
        var registration = new RecordingRegistration(recordingWriter, source, counters, stopwatch, cancellationToken);
        var pendingCommit = new PendingCommit();
        try
        {
            var reach = await client.GetAccountReachAsync(cancellationToken);
            state.AccountReach = reach.Summary;
            state.AccountIsTenantWide = reach.IsTenantWide;

            // The first run's start is the first sweep position: a backfilled CDR not visible when its chunk was listed ended after it.
            state.SweptUntil ??= runStart;
            var mainFrom = (state.Watermark ?? runStart - settings.StartBack) - settings.Overlap;
            var caughtUp = await MainPassAsync(client, state, mainFrom, runStart, buffer, registration, pendingCommit, counters, BudgetSpent, cancellationToken);
            var swept = caughtUp && await SweepAsync(client, state, mainFrom, runStart, buffer, registration, counters, BudgetSpent, cancellationToken);
            await RecomputeStatsAsync(source, state, _ => true, counters, cancellationToken);
            outcome = swept ? SyncOutcome.Success : SyncOutcome.Partial;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await buffer.DrainAsync();
            await registration.DrainAsync();
            await pendingCommit.DrainAsync();
            outcome = SyncOutcome.Failed;
            error = Describe(ex);
            LogSourceFailed(logger, ex, source, error);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Nothing of this run may go on writing after it returned.
            await buffer.DrainAsync();
            await registration.DrainAsync();
            await pendingCommit.DrainAsync();
            throw;
        }

        state.LastRunEnded = time.GetUtcNow();
        state.LastRunOutcome = outcome;
        state.LastRunError = error;
        if (outcome == SyncOutcome.Success)
        {
            state.LastSuccess = state.LastRunEnded;
        }

        state.LastRunCdrs = counters.CdrsWritten;
        state.LastRunRecordingsEnqueued = counters.RecordingsEnqueued;
        state.LastRunQuarantined = counters.Quarantined;
        state.LastRunRequests = client.RequestCount - requestsAtStart;
        counters.Transactions = buffer.TransactionsSent;
        counters.RowsWritten = buffer.RowsSent;
        await states.SaveAsync(state, cancellationToken);
        LogRunEnded(logger, source, outcome, counters.CdrsWritten, counters.RecordingsEnqueued, counters.Quarantined, state.LastRunRequests, state.Watermark);
        return new SourceSyncReport(source, outcome, error, state.Watermark, state.SweptUntil, counters.CdrsWritten, counters.RecordingsEnqueued, counters.Quarantined, state.LastRunRequests)
        {
            RunStarted = runStart,
            Counters = counters,
        };
    }

    /// <summary>
    /// True when the pass reached the run's start; false when the budget stopped it. Intermediate commits run in the
    /// background (<see cref="CommitInBackgroundAsync"/>) while the pass lists and writes the next chunks; the next
    /// commit, the end of the pass and a failure of the run first wait for the one pending, so saves stay in order.
    /// </summary>
    private async Task<bool> MainPassAsync(
        PortSipClient client, SyncState state, DateTimeOffset from, DateTimeOffset runStart, TableWriteBuffer buffer,
        RecordingRegistration registration, PendingCommit pendingCommit, SyncCounters counters, Func<bool> budgetSpent, CancellationToken cancellationToken)
    {
        var pendingDays = new HashSet<DateOnly>();
        var rowsAtCommit = buffer.RowsSent;
        DateTimeOffset? pendingTo = null;
        while (from < runStart && !budgetSpent())
        {
            var to = Min(from + settings.Chunk, runStart);
            pendingDays.UnionWith(await archiver.ArchiveAsync(client, from, to, endedAtFloor: null, buffer, registration, counters, cancellationToken));
            pendingTo = to;
            from = to;
            if (buffer.PendingRows + buffer.RowsSent - rowsAtCommit >= SyncWindowArchiver.CommitRows)
            {
                var started = stopwatch.GetTimestamp();
                await pendingCommit.WaitAsync();
                var rowsWritten = await buffer.SendPendingAsync(cancellationToken);
                counters.CdrWrites += stopwatch.GetElapsedTime(started);
                var durable = Task.WhenAll(rowsWritten, registration.CheckpointAsync());
                pendingCommit.Task = CommitInBackgroundAsync(client.SourceName, state, durable, pendingDays, to, counters, cancellationToken);
                pendingDays = [];
                rowsAtCommit = buffer.RowsSent;
                pendingTo = null;
            }
        }

        await pendingCommit.WaitAsync();
        if (pendingTo is { } last)
        {
            await CommitAsync(client.SourceName, state, buffer, pendingDays, registration, complete: true, watermark: last, statsUntil: last, counters, cancellationToken);
        }

        return from >= runStart;
    }

    /// <summary>
    /// Once every row and recording added before the commit is durable (<paramref name="durable"/>), saves the chunk end
    /// <paramref name="to"/> as the watermark together with the days the rows touched, then recomputes the dirty days
    /// the pass has left (no later chunk of the pass writes them). A failure leaves the watermark where it was.
    /// </summary>
    private async Task CommitInBackgroundAsync(
        string source, SyncState state, Task durable, HashSet<DateOnly> days, DateTimeOffset to, SyncCounters counters, CancellationToken cancellationToken)
    {
        await durable;
        var dirty = DirtyDaysText.Parse(state.DirtyDays);
        dirty.UnionWith(days);
        state.DirtyDays = DirtyDaysText.Format(dirty);
        if (state.Watermark is null || to > state.Watermark)
        {
            state.Watermark = to;
        }

        await states.SaveAsync(state, cancellationToken);
        await RecomputeStatsAsync(source, state, day => DayEnd(day) <= to, counters, cancellationToken);
    }

    /// <summary>The long-call sweep; true when it completed and SweptUntil moved to the run's start.</summary>
    private async Task<bool> SweepAsync(
        PortSipClient client, SyncState state, DateTimeOffset mainFrom, DateTimeOffset runStart, TableWriteBuffer buffer,
        RecordingRegistration registration, SyncCounters counters, Func<bool> budgetSpent, CancellationToken cancellationToken)
    {
        // Counted from the last completed sweep, not from now, so failed or partial runs in between open no gap.
        var swept = state.SweptUntil ?? runStart;
        var endedAtFloor = swept - settings.Overlap;
        var pendingDays = new HashSet<DateOnly>();
        var rowsAtCommit = buffer.RowsSent;
        var from = swept - settings.LongCallWindow;
        while (from < mainFrom && !budgetSpent())
        {
            var to = Min(from + settings.Chunk, mainFrom);
            pendingDays.UnionWith(await archiver.ArchiveAsync(client, from, to, endedAtFloor, buffer, registration, counters, cancellationToken));
            from = to;
            if (buffer.PendingRows + buffer.RowsSent - rowsAtCommit >= SyncWindowArchiver.CommitRows)
            {
                await CommitAsync(client.SourceName, state, buffer, pendingDays, registration, complete: false, watermark: null, statsUntil: null, counters, cancellationToken);
                rowsAtCommit = buffer.RowsSent;
            }
        }

        await CommitAsync(client.SourceName, state, buffer, pendingDays, registration, complete: true, watermark: null, statsUntil: null, counters, cancellationToken);
        if (from < mainFrom)
        {
            return false;
        }

        // Every CDR that started in [SweptUntil − LongCallHours, runStart) and was visible at runStart is now stored.
        state.SweptUntil = runStart;
        await states.SaveAsync(state, cancellationToken);
        return true;
    }

    /// <summary>
    /// Makes the buffered rows durable and waits for the recordings handed over before (the previous commit's);
    /// hands over the collected ones (<paramref name="complete"/>: and waits for them too). Then saves
    /// <paramref name="watermark"/> (never backwards, never beyond now; the caller passes a chunk end whose rows and
    /// recordings are now durable) together with the days the rows touched, and recomputes the aggregates of the dirty
    /// days that end by <paramref name="statsUntil"/> (their rows are flushed and no later chunk of this pass writes them).
    /// </summary>
    private async Task CommitAsync(
        string source, SyncState state, TableWriteBuffer buffer, HashSet<DateOnly> pendingDays, RecordingRegistration registration, bool complete,
        DateTimeOffset? watermark, DateTimeOffset? statsUntil, SyncCounters counters, CancellationToken cancellationToken)
    {
        var started = stopwatch.GetTimestamp();
        await buffer.FlushAsync(cancellationToken);
        counters.CdrWrites += stopwatch.GetElapsedTime(started);
        started = stopwatch.GetTimestamp();
        await (complete ? registration.CompleteAsync() : registration.HandOverAsync());
        counters.Recordings += stopwatch.GetElapsedTime(started);
        var dirty = DirtyDaysText.Parse(state.DirtyDays);
        dirty.UnionWith(pendingDays);
        pendingDays.Clear();
        state.DirtyDays = DirtyDaysText.Format(dirty);
        if (watermark is { } to && (state.Watermark is null || to > state.Watermark))
        {
            state.Watermark = to;
        }

        await states.SaveAsync(state, cancellationToken);
        if (statsUntil is { } passed)
        {
            await RecomputeStatsAsync(source, state, day => DayEnd(day) <= passed, counters, cancellationToken);
        }
    }

    /// <summary>Recomputes the dirty days that <paramref name="due"/> selects, then removes them from the state row.</summary>
    private async Task RecomputeStatsAsync(string source, SyncState state, Func<DateOnly, bool> due, SyncCounters counters, CancellationToken cancellationToken)
    {
        var dirty = DirtyDaysText.Parse(state.DirtyDays);
        var days = dirty.Where(due).ToList();
        if (days.Count == 0)
        {
            return;
        }

        var started = stopwatch.GetTimestamp();
        await stats.RecomputeAsync(source, days, cancellationToken);
        counters.Stats += stopwatch.GetElapsedTime(started);
        dirty.ExceptWith(days);
        state.DirtyDays = DirtyDaysText.Format(dirty);
        await states.SaveAsync(state, cancellationToken);
    }

    private static DateTimeOffset DayEnd(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The message and those of its inner exceptions (the outer one alone is often "an error occurred").</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null && messages.Count < 4; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" → ", messages);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of source {Source} failed: {Problem}")]
    private static partial void LogSourceFailed(ILogger logger, Exception exception, string source, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of source {Source}: {Outcome}, {Cdrs} CDRs written, {Recordings} recordings enqueued, {Quarantined} quarantined, {Requests} PortSIP requests, watermark {Watermark}")]
    private static partial void LogRunEnded(ILogger logger, string source, string outcome, long cdrs, long recordings, long quarantined, int requests, DateTimeOffset? watermark);
}
