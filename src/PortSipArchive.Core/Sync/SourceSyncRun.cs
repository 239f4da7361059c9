using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Sync;

/// <summary>What one source's run did.</summary>
public sealed record SourceSyncReport(
    string Source, string Outcome, string? Error, DateTimeOffset? Watermark, DateTimeOffset? SweptUntil,
    long CdrsWritten, long RecordingsEnqueued, long Quarantined, int Requests);

/// <summary>
/// One run for one source (see docs/sync-design.md): the main pass archives started_at chunks from
/// Watermark − Overlap up to the run's start and moves the watermark after each committed chunk; once caught up,
/// the long-call sweep lists [SweptUntil − LongCallHours, old Watermark − Overlap) again and writes what ended since
/// SweptUntil − Overlap. The run stops between chunks when its budget (wall time, PortSIP requests) is spent.
/// </summary>
public sealed partial class SourceSyncRun(
    PortSipClients clients, SyncStateStore states, SyncWindowArchiver archiver, SyncSettings settings,
    [FromKeyedServices(ArchiveClock.Key)] TimeProvider time, ILogger<SourceSyncRun> logger)
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
        try
        {
            var reach = await client.GetAccountReachAsync(cancellationToken);
            state.AccountReach = reach.Summary;
            state.AccountIsTenantWide = reach.IsTenantWide;

            // The first run's start is the first sweep position: a backfilled CDR not visible when its chunk was listed ended after it.
            state.SweptUntil ??= runStart;
            var mainFrom = (state.Watermark ?? runStart - settings.StartBack) - settings.Overlap;
            var caughtUp = await MainPassAsync(client, state, mainFrom, runStart, counters, BudgetSpent, cancellationToken);
            outcome = caughtUp && await SweepAsync(client, state, mainFrom, runStart, counters, BudgetSpent, cancellationToken)
                ? SyncOutcome.Success
                : SyncOutcome.Partial;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = SyncOutcome.Failed;
            error = Describe(ex);
            LogSourceFailed(logger, ex, source, error);
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
        await states.SaveAsync(state, cancellationToken);
        LogRunEnded(logger, source, outcome, counters.CdrsWritten, counters.RecordingsEnqueued, counters.Quarantined, state.LastRunRequests, state.Watermark);
        return new SourceSyncReport(source, outcome, error, state.Watermark, state.SweptUntil, counters.CdrsWritten, counters.RecordingsEnqueued, counters.Quarantined, state.LastRunRequests);
    }

    /// <summary>True when the pass reached the run's start; false when the budget stopped it.</summary>
    private async Task<bool> MainPassAsync(
        PortSipClient client, SyncState state, DateTimeOffset from, DateTimeOffset runStart, SyncCounters counters,
        Func<bool> budgetSpent, CancellationToken cancellationToken)
    {
        while (from < runStart)
        {
            if (budgetSpent())
            {
                return false;
            }

            var to = Min(from + settings.Chunk, runStart);
            await archiver.ArchiveAsync(client, from, to, endedAtFloor: null, counters, cancellationToken);

            // Only now is every CDR of the chunk committed: the watermark may pass it (never backwards, never beyond now).
            if (state.Watermark is null || to > state.Watermark)
            {
                state.Watermark = to;
                await states.SaveAsync(state, cancellationToken);
            }

            from = to;
        }

        return true;
    }

    /// <summary>The long-call sweep; true when it completed and SweptUntil moved to the run's start.</summary>
    private async Task<bool> SweepAsync(
        PortSipClient client, SyncState state, DateTimeOffset mainFrom, DateTimeOffset runStart, SyncCounters counters,
        Func<bool> budgetSpent, CancellationToken cancellationToken)
    {
        // Counted from the last completed sweep, not from now, so failed or partial runs in between open no gap.
        var swept = state.SweptUntil ?? runStart;
        var endedAtFloor = swept - settings.Overlap;
        for (var from = swept - settings.LongCallWindow; from < mainFrom;)
        {
            if (budgetSpent())
            {
                return false;
            }

            var to = Min(from + settings.Chunk, mainFrom);
            await archiver.ArchiveAsync(client, from, to, endedAtFloor, counters, cancellationToken);
            from = to;
        }

        // Every CDR that started in [SweptUntil − LongCallHours, runStart) and was visible at runStart is now stored.
        state.SweptUntil = runStart;
        await states.SaveAsync(state, cancellationToken);
        return true;
    }

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
