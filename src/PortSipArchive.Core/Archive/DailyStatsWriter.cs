using System.Globalization;
using Azure.Data.Tables;

namespace PortSipArchive.Archive;

/// <summary>
/// Recomputes the daily aggregates of (source, day) from that day's cdrs partition and writes them with
/// Replace: <c>all|{day}</c>, <c>dir|{DIRECTION}|{day}</c>, <c>ext|{extension}|{day}</c> in partition <c>{source}|{yyyy}</c>.
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
            var caller = row.GetString("caller") ?? string.Empty;
            var callee = row.GetString("callee") ?? string.Empty;
            if (caller.Length > 0)
            {
                Add(totals, "ext|" + ArchiveKeys.Encode(caller), answered, talk);
            }

            if (callee.Length > 0 && callee != caller)
            {
                Add(totals, "ext|" + ArchiveKeys.Encode(callee), answered, talk);
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

    private static void Add(Dictionary<string, DailyCounts> totals, string key, bool answered, int talkSeconds)
    {
        var counts = totals.GetValueOrDefault(key);
        totals[key] = new DailyCounts(counts.Calls + 1, counts.Answered + (answered ? 1 : 0), counts.TalkSeconds + talkSeconds);
    }

    private readonly record struct DailyCounts(int Calls, int Answered, long TalkSeconds);
}
