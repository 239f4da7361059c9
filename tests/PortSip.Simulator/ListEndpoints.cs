using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PortSip.Simulator;

/// <summary>
/// <c>GET|POST /api/cdrs</c>, <c>GET|POST /api/recordings</c> (<c>{"count","items"}</c>, filtered, ordered and paged)
/// and <c>GET|POST /api/cdrs/{id}</c> (<c>{"items":[cdr]}</c>). Only what the caller may see now is served.
/// Lists narrow a started_at window by binary search before filtering (see <see cref="ListPaging"/>).
/// </summary>
internal sealed class ListEndpoints(PbxState state)
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public async Task CdrsAsync(HttpContext context, SimAccount account)
    {
        if (await ApiResponses.RefusedGetAsync(context, state.Faults) || await TryParseQueryAsync(context) is not { } query)
        {
            return;
        }

        PbxData.Snapshot snapshot = state.Data.Current;
        DateTimeOffset now = state.Time.GetUtcNow();
        (int count, List<SimCdr> page) = ListPaging.Select(
            snapshot.Cdrs, static c => c.StartedAt, c => state.IsListed(c, account, now), query, FilterSubject.Of, static c => c.Id);
        await WriteListAsync(context, EndpointKind.Cdrs, count, page.Select(c => RenderCdr(c, detail: false)));
    }

    public async Task RecordingsAsync(HttpContext context, SimAccount account)
    {
        if (await ApiResponses.RefusedGetAsync(context, state.Faults) || await TryParseQueryAsync(context) is not { } query)
        {
            return;
        }

        PbxData.Snapshot snapshot = state.Data.Current;
        DateTimeOffset now = state.Time.GetUtcNow();
        (int count, List<SimRecording> page) = ListPaging.Select(
            snapshot.Recordings, static r => r.StartedAt, r => state.IsListed(r, account, snapshot, now), query, FilterSubject.Of, static r => r.Id);
        await WriteListAsync(context, EndpointKind.Recordings, count, page.Select(r => r.ToListJson()));
    }

    public async Task CdrDetailAsync(HttpContext context, SimAccount account, string id)
    {
        if (await ApiResponses.RefusedGetAsync(context, state.Faults))
        {
            return;
        }

        SimCdr? cdr = state.Data.FindCdr(id);
        if (cdr is null || !state.IsVisible(cdr, state.Time.GetUtcNow()) || !account.IsParty(cdr.Caller, cdr.Callee))
        {
            await ApiResponses.WriteNotFoundAsync(context, "cdr");
            return;
        }

        var body = new JsonObject { ["items"] = new JsonArray(RenderCdr(cdr, detail: true)) };
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private JsonObject RenderCdr(SimCdr cdr, bool detail)
    {
        JsonObject json = detail ? cdr.ToDetailJson() : cdr.ToListJson();
        if (state.Faults.MalformedCdrIds.Contains(cdr.Id))
        {
            string field = state.Faults.MalformedCdrField;
            json[field] = field is "duration" or "status_code" or "cost"
                ? FaultSwitches.MalformedNumberValue
                : FaultSwitches.MalformedDateValue;
        }

        return json;
    }

    private static async Task<ListQuery?> TryParseQueryAsync(HttpContext context)
    {
        try
        {
            return ListQuery.Parse(context.Request.Query);
        }
        catch (QueryValidationException ex)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.ValidateFailed, ex.Message);
            return null;
        }
    }

    private async Task WriteListAsync(HttpContext context, string kind, int count, IEnumerable<JsonObject> items)
    {
        var body = new JsonObject { ["count"] = count, ["items"] = new JsonArray([.. items]) };
        byte[] bytes = ApiResponses.Serialize(body);
        if (state.Faults.TryTakeMalformedResponse(kind))
        {
            await ApiResponses.WriteBytesAsync(context, StatusCodes.Status200OK, JsonContentType, bytes[..(bytes.Length / 2)]);
        }
        else if (state.Faults.TryTakeDropConnection(kind))
        {
            await ApiResponses.WritePartThenAbortAsync(context, JsonContentType, bytes, bytes.Length / 2);
        }
        else
        {
            await ApiResponses.WriteBytesAsync(context, StatusCodes.Status200OK, JsonContentType, bytes);
        }
    }
}
