using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PortSip.Simulator;

/// <summary>Writes PortSIP-shaped JSON bodies and <c>{"errors":[{code,message}]}</c> error bodies.</summary>
internal static class ApiResponses
{
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Unknown = "UNKNOWN";
    public const string ValidateFailed = "VALIDATE_FAILED";
    public const string NotFound = "NOT_FOUND";

    /// <summary>Raw UTF-8 for non-ASCII text, as a Go-based server writes it.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(JsonNode body) => Encoding.UTF8.GetBytes(body.ToJsonString(Json));

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode body) =>
        WriteBytesAsync(context, status, "application/json; charset=utf-8", Serialize(body));

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, ErrorBody(code, message));

    public static JsonObject ErrorBody(string code, string message) => new()
    {
        ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
    };

    public static Task WriteNotFoundAsync(HttpContext context, string what) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, NotFound, what + " not found");

    public static Task WriteMethodNotAllowedAsync(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, Unknown, "method not allowed");
    }

    /// <summary>True (after answering 405) when the RefuseGet fault is on and this is a GET.</summary>
    public static async Task<bool> RefusedGetAsync(HttpContext context, FaultSwitches faults)
    {
        if (!faults.RefuseGet || !HttpMethods.IsGet(context.Request.Method))
        {
            return false;
        }

        await WriteMethodNotAllowedAsync(context, "POST");
        return true;
    }

    public static async Task WriteBytesAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Announces the whole body, sends only the first <paramref name="sent"/> bytes, then aborts the connection.</summary>
    public static async Task WritePartThenAbortAsync(HttpContext context, string contentType, byte[] body, int sent)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, sent), context.RequestAborted);
        await AbortAfterFlushAsync(context);
    }

    /// <summary>
    /// Flushes what was written, gives the client a moment to read it (an abort resets the TCP connection,
    /// and a reset discards data the peer has not read yet), then aborts.
    /// </summary>
    public static async Task AbortAfterFlushAsync(HttpContext context)
    {
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(TimeSpan.FromMilliseconds(100), context.RequestAborted);
        context.Abort();
    }
}
