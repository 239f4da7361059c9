using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using Microsoft.AspNetCore.Http;

namespace PortSipArchive.Api;

/// <summary>The API's responses. They need nothing from the request's services, so they run the same in Functions, the local runner and tests.</summary>
public static class ApiResults
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static IResult Error(int status, string code, string message, string? recordingStatus = null) =>
        new JsonResult(status, new ErrorBody(new ErrorDetail(code, message, recordingStatus)));

    public static IResult Ok<T>(T body)
        where T : notnull => new JsonResult(200, body);

    /// <summary><c>{"value":[...],"nextLink":"..."}</c>, or CSV (header row, RFC 4180, UTF-8) with the next page in a <c>Link</c> header.</summary>
    public static IResult Collection<T>(IReadOnlyList<T> items, string? nextLink, bool csv, string[] csvHeader)
        where T : ICsvItem =>
        csv ? new CsvResult(items.Cast<ICsvItem>().ToList(), csvHeader, nextLink) : new JsonResult(200, new CollectionBody<T>(items, nextLink));

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        options.Converters.Add(new UtcTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record ErrorBody(ErrorDetail Error);

    private sealed record ErrorDetail(
        string Code,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status);

    private sealed record CollectionBody<T>(
        IReadOnlyList<T> Value,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

    private sealed class JsonResult(int status, object body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(httpContext.Response.Body, body, body.GetType(), Json, httpContext.RequestAborted);
        }
    }

    private sealed class CsvResult(IReadOnlyList<ICsvItem> items, string[] header, string? nextLink) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = 200;
            response.ContentType = "text/csv; charset=utf-8";
            if (nextLink is not null)
            {
                response.Headers.Link = $"<{nextLink}>; rel=\"next\"";
            }

            await using var csv = CsvWriter.Create(response.Body, CsvWriterOptions.Default, leaveOpen: true);
            await csv.WriteRecordAsync(header, httpContext.RequestAborted);
            foreach (var item in items)
            {
                foreach (var field in item.CsvFields())
                {
                    csv.WriteField(field ?? string.Empty);
                }

                await csv.EndRecordAsync(httpContext.RequestAborted);
            }

            await csv.FlushAsync(httpContext.RequestAborted);
        }
    }
}
