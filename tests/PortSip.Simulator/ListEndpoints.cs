using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PortSip.Simulator;

/// <summary>
/// <c>GET|POST /api/cdrs</c>, <c>GET|POST /api/recordings</c> (<c>{"count","items"}</c>, filtered, ordered and paged)
/// and <c>GET|POST /api/cdrs/{id}</c> (<c>{"items":[cdr]}</c>). Only what the caller may see now is served.
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
        List<SimCdr> matches = [.. state.VisibleCdrs(account, snapshot, state.Time.GetUtcNow())
            .Where(c => query.Filter.Matches(FilterSubject.Of(c)))];
        IEnumerable<SimCdr> page = query.Sort(matches, FilterSubject.Of, c => c.Id).Skip(query.Skip).Take(query.Top);
        await WriteListAsync(context, EndpointKind.Cdrs, matches.Count, page.Select(c => RenderCdr(c, detail: false)));
    }

    public async Task RecordingsAsync(HttpContext context, SimAccount account)
    {
        if (await ApiResponses.RefusedGetAsync(context, state.Faults) || await TryParseQueryAsync(context) is not { } query)
        {
            return;
        }

        PbxData.Snapshot snapshot = state.Data.Current;
        List<SimRecording> matches = [.. state.VisibleRecordings(account, snapshot, state.Time.GetUtcNow())
            .Where(r => query.Filter.Matches(FilterSubject.Of(r)))];
        IEnumerable<SimRecording> page = query.Sort(matches, FilterSubject.Of, r => r.Id).Skip(query.Skip).Take(query.Top);
        await WriteListAsync(context, EndpointKind.Recordings, matches.Count, page.Select(r => r.ToListJson()));
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
