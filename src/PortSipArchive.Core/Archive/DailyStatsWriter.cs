using System.Globalization;
using Azure.Data.Tables;

namespace PortSipArchive.Archive;

/// <summary>
/// Recomputes the daily aggregates of (source, day) from that day's cdrs partition and writes them with
/// Replace: <c>all|{day}</c>, <c>dir|{DIRECTION}|{day}</c>, <c>ext|{extension}|{day}</c> in partition <c>{source}|{yyyy}</c>.
/// <c>ext|</c> rows exist only for the internal parties of a call (<see cref="InternalParties"/>), so a year of statistics
/// stays hundreds of rows per extension instead of one row per external number and day.
/// </summary>
public sealed class DailyStatsWriter(ArchiveTables tables, TableBatchWriter writer)
{
    private static readonly string[] ReadColumns = ["caller", "callee", "direction", "Duration", "AnsweredAt"];

    public async Task RecomputeAsync(string source, IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var rows = new List<TableWrite>();
        foreach (var day in days.Distinct())
        {
            rows.AddRange(await ComputeDayAsync(source, day, cancellationToken));
        }

        await writer.UpsertAsync(rows, TableTransactionActionType.UpsertReplace, cancellationToken);
    }

    private async Task<List<TableWrite>> ComputeDayAsync(string source, DateOnly day, CancellationToken cancellationToken)
    {
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var partition = ArchiveKeys.DayPartition(source, dayStart);
        var totals = new Dictionary<string, DailyCounts>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in tables.Cdrs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ReadColumns, cancellationToken: cancellationToken))
        {
            var answered = row.GetDateTimeOffset("AnsweredAt") is not null;
            var talk = row.GetInt32("Duration") ?? 0;
            Add(totals, "all", answered, talk);
            var direction = row.GetString("direction");
            Add(totals, "dir|" + (string.IsNullOrEmpty(direction) ? "NONE" : ArchiveKeys.Encode(direction)), answered, talk);
            foreach (var extension in InternalParties(direction, row.GetString("caller"), row.GetString("callee")))
            {
                Add(totals, "ext|" + ArchiveKeys.Encode(extension), answered, talk);
            }
        }

        var statsPartition = source + ArchiveKeys.Separator + ArchiveKeys.Year(dayStart);
        var dayText = ArchiveKeys.Day(dayStart);
        return [.. totals.Select(t => new TableWrite(tables.Stats, new TableEntity(statsPartition, t.Key + ArchiveKeys.Separator + dayText)
        {
            ["Source"] = source,
            ["Day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Calls"] = t.Value.Calls,
            ["Answered"] = t.Value.Answered,
            ["Missed"] = t.Value.Calls - t.Value.Answered,
            ["TalkSeconds"] = t.Value.TalkSeconds,
        }))];
    }

    /// <summary>
    /// The parties of a call that get per-extension aggregates, each once: both parties of EXTENSION_CALL, the callee of
    /// INBOUND_CALL, the caller of OUTBOUND_CALL, nobody for INBOUND_OUTBOUND_CALL (an inbound call forwarded out: both
    /// parties are external numbers; the call still counts in <c>all|</c> and <c>dir|</c>). Any other or missing direction:
    /// each party that looks like an extension (<see cref="LooksLikeExtension"/>).
    /// </summary>
    public static IReadOnlyList<string> InternalParties(string? direction, string? caller, string? callee)
    {
        caller ??= string.Empty;
        callee ??= string.Empty;
        var (useCaller, useCallee) = direction?.ToUpperInvariant() switch
        {
            "EXTENSION_CALL" => (true, true),
            "INBOUND_CALL" => (false, true),
            "OUTBOUND_CALL" => (true, false),
            "INBOUND_OUTBOUND_CALL" => (false, false),
            _ => (LooksLikeExtension(caller), LooksLikeExtension(callee)),
        };
        var parties = new List<string>(2);
        if (useCaller && caller.Length > 0)
        {
            parties.Add(caller);
        }

        if (useCallee && callee.Length > 0 && callee != caller)
        {
            parties.Add(callee);
        }

        return parties;
    }

    /// <summary>1 to 6 ASCII digits (no '+', no letters): an extension number, not an external one.</summary>
    public static bool LooksLikeExtension(string value) =>
        value is { Length: > 0 and <= 6 } && value.All(char.IsAsciiDigit);

    private static void Add(Dictionary<string, DailyCounts> totals, string key, bool answered, int talkSeconds)
    {
        var counts = totals.GetValueOrDefault(key);
        totals[key] = new DailyCounts(counts.Calls + 1, counts.Answered + (answered ? 1 : 0), counts.TalkSeconds + talkSeconds);
    }

    private readonly record struct DailyCounts(int Calls, int Answered, long TalkSeconds);
}
