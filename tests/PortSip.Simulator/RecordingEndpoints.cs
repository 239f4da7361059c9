using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PortSip.Simulator;

/// <summary>
/// <c>GET|POST /api/recordings/{id}</c> (detail with <c>file_url</c>), <c>POST /api/recordings/{id}/destroy</c>
/// and <c>GET /api/blobs/{token}</c>, which streams generated audio in 64 KiB chunks.
/// </summary>
internal sealed class RecordingEndpoints(PbxState state)
{
    public const int ChunkSize = 64 * 1024;

    public async Task DetailAsync(HttpContext context, SimAccount account, string id)
    {
        if (await ApiResponses.RefusedGetAsync(context, state.Faults))
        {
            return;
        }

        if (FindForAccount(account, id) is not { } recording)
        {
            await ApiResponses.WriteNotFoundAsync(context, "recording");
            return;
        }

        var body = new JsonObject { ["items"] = new JsonArray(recording.ToDetailJson()) };
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    public async Task DestroyAsync(HttpContext context, SimAccount account, string id)
    {
        if (FindForAccount(account, id) is null || !state.Data.DestroyRecording(id))
        {
            await ApiResponses.WriteNotFoundAsync(context, "recording");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task DownloadAsync(HttpContext context, string token)
    {
        SimRecording? recording = state.Data.FindRecordingByBlobToken(token);
        if (recording is null || state.Faults.RecordingsGone.Contains(recording.Id))
        {
            await ApiResponses.WriteNotFoundAsync(context, "blob");
            return;
        }

        long limit = recording.Size;
        bool abort = true;
        if (state.Faults.TryTakeTruncateBlob())
        {
            limit = recording.Size / 2;
        }
        else if (state.Faults.TryTakeDropConnection(EndpointKind.Blob))
        {
            limit = Math.Min(recording.Size / 2, ChunkSize);
        }
        else
        {
            abort = false;
        }

        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = recording.ContentType;
        response.ContentLength = recording.Size;
        response.Headers.ContentDisposition = $"attachment; filename=\"{recording.FileName.Replace("\"", "", StringComparison.Ordinal)}\"";
        await StreamAsync(context, recording, limit);
        if (abort)
        {
            await ApiResponses.AbortAfterFlushAsync(context);
        }
    }

    private static async Task StreamAsync(HttpContext context, SimRecording recording, long limit)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using Stream audio = RecordingAudio.Open(recording);
            long sent = 0;
            while (sent < limit)
            {
                int read = await audio.ReadAsync(buffer.AsMemory(0, (int)Math.Min(ChunkSize, limit - sent)), context.RequestAborted);
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                sent += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private SimRecording? FindForAccount(SimAccount account, string id)
    {
        PbxData.Snapshot snapshot = state.Data.Current;
        if (!snapshot.RecordingsById.TryGetValue(id, out SimRecording? recording) || state.Faults.RecordingsGone.Contains(id))
        {
            return null;
        }

        bool visible = state.IsVisible(recording, snapshot, state.Time.GetUtcNow()) && account.IsParty(recording.Caller, recording.Callee);
        return visible ? recording : null;
    }
}
