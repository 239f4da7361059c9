using Azure;
using Azure.Data.Tables;

namespace PortSipArchive.Archive;

/// <summary>Outcome of a source's last run.</summary>
public static class SyncOutcome
{
    public const string Success = "Success";
    public const string Partial = "Partial";
    public const string Failed = "Failed";
}

/// <summary>The <c>state</c> row of one source (PK <c>source</c>, RK = source name).</summary>
public sealed class SyncState : ITableEntity
{
    public const string Partition = "source";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Every CDR with started_at before Watermark − Overlap that was visible at a run's start is stored.</summary>
    public DateTimeOffset? Watermark { get; set; }

    /// <summary>Start of the last completed long-call sweep: later sweeps write only CDRs with ended_at ≥ SweptUntil − Overlap.</summary>
    public DateTimeOffset? SweptUntil { get; set; }

    /// <summary>
    /// UTC days (<c>yyyyMMdd</c>, comma-separated) with committed CDR writes whose daily aggregates are not yet
    /// recomputed. Saved with the watermark that commits the writes, cleared only after the aggregates are written,
    /// so a crash in between leaves them to the next run.
    /// </summary>
    public string? DirtyDays { get; set; }

    public DateTimeOffset? LastRunStarted { get; set; }

    public DateTimeOffset? LastRunEnded { get; set; }

    public string? LastRunOutcome { get; set; }

    public string? LastRunError { get; set; }

    public DateTimeOffset? LastSuccess { get; set; }

    public string? AccountReach { get; set; }

    public bool? AccountIsTenantWide { get; set; }

    public long LastRunCdrs { get; set; }

    public long LastRunRecordingsEnqueued { get; set; }

    public long LastRunQuarantined { get; set; }

    public int LastRunRequests { get; set; }
}

/// <summary>Reads and writes <see cref="SyncState.DirtyDays"/>.</summary>
public static class DirtyDaysText
{
    public static SortedSet<DateOnly> Parse(string? text)
    {
        var days = new SortedSet<DateOnly>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DateOnly.TryParseExact(part, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                days.Add(day);
            }
        }

        return days;
    }

    public static string? Format(IEnumerable<DateOnly> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var text = string.Join(',', days.Order().Select(d => d.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)));
        return text.Length == 0 ? null : text;
    }
}

/// <summary>Reads and writes <see cref="SyncState"/> rows.</summary>
public sealed class SyncStateStore(ArchiveTables tables)
{
    public async Task<SyncState> ReadAsync(string source, CancellationToken cancellationToken)
    {
        var row = await tables.State.GetEntityIfExistsAsync<SyncState>(SyncState.Partition, source, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? row.Value : new SyncState { RowKey = source };
    }

    public async Task SaveAsync(SyncState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await tables.State.UpsertEntityAsync(state, TableUpdateMode.Replace, cancellationToken);
    }
}
