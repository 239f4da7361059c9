using System.Text.Json.Nodes;

namespace PortSip.Simulator;

/// <summary>
/// One call detail record with every field PortSIP v22 serves. Optional text fields are "" (never null),
/// as on a real PBX; <see cref="RangAt"/> and <see cref="AnsweredAt"/> are null when the PBX would send "".
/// Timestamps are rendered with up to 6 fraction digits (see <see cref="PortSipTimestamp"/>).
/// </summary>
public sealed record SimCdr
{
    public required string Id { get; init; }
    public required string Caller { get; init; }
    public string CallerDomain { get; init; } = "";
    public string CallerDisplayName { get; init; } = "";
    public required string Callee { get; init; }
    public string CalleeDomain { get; init; } = "";
    public string CalleeDisplayName { get; init; } = "";
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? RangAt { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public string CallId { get; init; } = "";
    public string Direction { get; init; } = "EXTENSION_CALL";
    public string EndReason { get; init; } = "";
    public string RerouteReason { get; init; } = "";
    public int StatusCode { get; init; }
    public string Destination { get; init; } = "";
    public string OutboundCallerId { get; init; } = "";
    public string DidCid { get; init; } = "";
    public string Trunk { get; init; } = "";

    /// <summary>Talk time in whole seconds (0 for a missed call).</summary>
    public int Duration { get; init; }
    public string ServiceNumber { get; init; } = "";
    public string UserData { get; init; } = "";

    /// <summary>Detail-only.</summary>
    public double Cost { get; init; }

    /// <summary>Detail-only.</summary>
    public string BilledAccount { get; init; } = "";

    public bool IsAnswered => AnsweredAt is not null;

    /// <summary>The exact JSON object the PBX serves for this CDR in <c>/api/cdrs</c> lists.</summary>
    public JsonObject ToListJson() => new()
    {
        ["id"] = Id,
        ["caller"] = Caller,
        ["caller_domain"] = CallerDomain,
        ["caller_display_name"] = CallerDisplayName,
        ["callee"] = Callee,
        ["callee_domain"] = CalleeDomain,
        ["callee_display_name"] = CalleeDisplayName,
        ["started_at"] = PortSipTimestamp.Format(StartedAt),
        ["rang_at"] = PortSipTimestamp.Format(RangAt),
        ["answered_at"] = PortSipTimestamp.Format(AnsweredAt),
        ["ended_at"] = PortSipTimestamp.Format(EndedAt),
        ["call_id"] = CallId,
        ["direction"] = Direction,
        ["end_reason"] = EndReason,
        ["reroute_reason"] = RerouteReason,
        ["status_code"] = StatusCode,
        ["destination"] = Destination,
        ["outbound_caller_id"] = OutboundCallerId,
        ["did_cid"] = DidCid,
        ["trunk"] = Trunk,
        ["duration"] = Duration,
        ["service_number"] = ServiceNumber,
        ["user_data"] = UserData,
    };

    /// <summary>The exact JSON object inside <c>items</c> of <c>/api/cdrs/{id}</c>: the list fields plus cost and billed_account.</summary>
    public JsonObject ToDetailJson()
    {
        JsonObject json = ToListJson();
        json["cost"] = Cost;
        json["billed_account"] = BilledAccount;
        return json;
    }
}
