using Azure.Data.Tables;

namespace PortSipArchive.Api;

/// <summary>A recording's metadata as the API returns it. The PBX's download link and the blob name are never part of it.</summary>
public sealed record RecordingItem(
    string Id,
    string Source,
    string? CdrId,
    string Caller,
    string Callee,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Status,
    long? Size,
    string? Sha256,
    string? ContentType,
    DateTimeOffset? ArchivedAt) : ICsvItem
{
    public static readonly string[] CsvHeader =
        ["id", "source", "cdrId", "caller", "callee", "startedAt", "endedAt", "status", "size", "sha256", "contentType", "archivedAt"];

    /// <summary>API status names (lower case) and the row values.</summary>
    public static readonly IReadOnlyDictionary<string, string> Statuses = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pending"] = Archive.RecordingStatus.Pending,
        ["archived"] = Archive.RecordingStatus.Archived,
        ["failed"] = Archive.RecordingStatus.Failed,
        ["missing"] = Archive.RecordingStatus.Missing,
    };

    public static RecordingItem FromRow(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var archived = EntityValues.Text(row, "Status") == Archive.RecordingStatus.Archived;
        return new RecordingItem(
            EntityValues.Text(row, "RecordingId"),
            EntityValues.Text(row, "Source"),
            EntityValues.TextOrNull(row, "CdrId"),
            EntityValues.Text(row, "Caller"),
            EntityValues.Text(row, "Callee"),
            EntityValues.Time(row, "StartedAt") ?? DateTimeOffset.MinValue,
            EntityValues.Time(row, "EndedAt"),
            (EntityValues.TextOrNull(row, "Status") ?? Archive.RecordingStatus.Pending).ToLowerInvariant(),
            archived ? EntityValues.Long(row, "Size") : null,
            archived ? EntityValues.TextOrNull(row, "Sha256") : null,
            archived ? EntityValues.TextOrNull(row, "ContentType") : null,
            archived ? EntityValues.Time(row, "ArchivedAt") : null);
    }

    public IEnumerable<string?> CsvFields() =>
    [
        Id, Source, CdrId, Caller, Callee, CsvFormat.Time(StartedAt), CsvFormat.Time(EndedAt), Status,
        Size is { } size ? CsvFormat.Number(size) : null, Sha256, ContentType, CsvFormat.Time(ArchivedAt),
    ];
}

/// <summary>The validated filters of <c>GET /api/recordings</c>.</summary>
public sealed record RecordingFilter(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Sources, string? Source, string? Extension, string? Status)
{
    public static readonly string[] Allowed = ["from", "to", "extension", "status", "source", "pageSize", "format", "continuation"];

    public static RecordingFilter Read(QueryReader query, DateTimeOffset now, Configuration.PortSipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (from, to) = query.Range(now, TimeSpan.FromDays(CdrFilter.DefaultDays), CdrFilter.MaxDays);
        var source = query.Text("source");
        return new RecordingFilter(from, to, QueryRange.Sources(settings, source), source?.ToLowerInvariant(), query.Text("extension"),
            query.Choice("status", [.. RecordingItem.Statuses.Keys]));
    }

    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        yield return new("from", QueryRange.Format(From));
        yield return new("to", QueryRange.Format(To));
        foreach (var (name, value) in new[] { ("source", Source), ("extension", Extension), ("status", Status) })
        {
            if (value is not null)
            {
                yield return new(name, value);
            }
        }
    }

    public bool Matches(RecordingItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.StartedAt >= From && item.StartedAt < To && Sources.Contains(item.Source, StringComparer.Ordinal)
            && (Extension is null || item.Caller == Extension || item.Callee == Extension)
            && (Status is null || item.Status == Status);
    }
}
