using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PortSipArchive.Api;

/// <summary>Streams an archived recording: 200 with the whole blob, 206 with Content-Range for a range, 416 for an unsatisfiable one.</summary>
internal sealed class RecordingStreamResult(BlobDownloadStreamingResult? blob, long size, ByteRange? range) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.Headers[HeaderNames.AcceptRanges] = "bytes";
        if (blob is null || range is { Satisfiable: false })
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers[HeaderNames.ContentRange] = $"bytes */{size}";
            return;
        }

        using (blob)
        {
            response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
            response.ContentType = blob.Details.ContentType is { Length: > 0 } type ? type : "application/octet-stream";
            response.ContentLength = blob.Details.ContentLength;
            if (range is not null)
            {
                response.Headers[HeaderNames.ContentRange] = $"bytes {range.Offset}-{range.Offset + blob.Details.ContentLength - 1}/{size}";
            }

            await blob.Content.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}

/// <summary>The OpenAPI document as JSON.</summary>
internal sealed class OpenApiResult(string json) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = 200;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await httpContext.Response.WriteAsync(json, httpContext.RequestAborted);
    }
}
