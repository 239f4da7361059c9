using Azure.Data.Tables;

namespace PortSipArchive.Api;

/// <summary>A CDR as the API returns it (JSON and CSV have the same columns; CSV joins recording ids with ';').</summary>
public sealed record CdrItem(
    string Id,
    string Source,
    DateTimeOffset StartedAt,
    DateTimeOffset? RangAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    long Duration,
    bool Answered,
    string Caller,
    string CallerDomain,
    string CallerDisplayName,
    string Callee,
    string CalleeDomain,
    string CalleeDisplayName,
    string Direction,
    string EndReason,
    string StatusCode,
    string Destination,
    string Trunk,
    string DidCid,
    string OutboundCallerId,
    string CallId,
    IReadOnlyList<string> RecordingIds) : ICsvItem
{
    public static readonly string[] CsvHeader =
    [
        "id", "source", "startedAt", "rangAt", "answeredAt", "endedAt", "duration", "answered", "caller", "callerDomain", "callerDisplayName",
        "callee", "calleeDomain", "calleeDisplayName", "direction", "endReason", "statusCode", "destination", "trunk", "didCid",
        "outboundCallerId", "callId", "recordingIds",
    ];

    public static CdrItem FromRow(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var answeredAt = EntityValues.Time(row, "AnsweredAt");
        return new CdrItem(
            EntityValues.Text(row, "CdrId"),
            EntityValues.Text(row, "Source"),
            EntityValues.Time(row, "StartedAt") ?? DateTimeOffset.MinValue,
            EntityValues.Time(row, "RangAt"),
            answeredAt,
            EntityValues.Time(row, "EndedAt"),
            EntityValues.Long(row, "Duration"),
            answeredAt is not null,
            EntityValues.Text(row, "caller"),
            EntityValues.Text(row, "caller_domain"),
            EntityValues.Text(row, "caller_display_name"),
            EntityValues.Text(row, "callee"),
            EntityValues.Text(row, "callee_domain"),
            EntityValues.Text(row, "callee_display_name"),
            EntityValues.Text(row, "direction"),
            EntityValues.Text(row, "end_reason"),
            EntityValues.Text(row, "status_code"),
            EntityValues.Text(row, "destination"),
            EntityValues.Text(row, "trunk"),
            EntityValues.Text(row, "did_cid"),
            EntityValues.Text(row, "outbound_caller_id"),
            EntityValues.Text(row, "call_id"),
            EntityValues.Text(row, "RecordingIds").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    public IEnumerable<string?> CsvFields() =>
    [
        Id, Source, CsvFormat.Time(StartedAt), CsvFormat.Time(RangAt), CsvFormat.Time(AnsweredAt), CsvFormat.Time(EndedAt), CsvFormat.Number(Duration),
        Answered ? "true" : "false", Caller, CallerDomain, CallerDisplayName, Callee, CalleeDomain, CalleeDisplayName, Direction, EndReason, StatusCode,
        Destination, Trunk, DidCid, OutboundCallerId, CallId, string.Join(';', RecordingIds),
    ];
}
